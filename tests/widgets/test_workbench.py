"""The workbench wires the views to the run pipeline: events in, verdicts and plots out.

``scripted_pipeline`` stands in for :func:`simlab.pipeline.certify_spec` with the same
signature and hooks, so the wiring (live judge events, progress, Stop in a background thread,
bundle, card, plots) is tested apart from the solvers; the notebooks run the real pipeline.
"""

from __future__ import annotations

import threading
import time

import pytest

import simlab.pipeline as pipeline
from simlab.certify.study import RunCancelled, SolveRecord, Study
from simlab.judge.events import GateFinished, GateStarted, JudgeDone, notify
from simlab.ui import Workbench, spec_text, workbench
from tests.widgets.conftest import (
    certificate_for,
    quadrature_observable,
    report_of,
    verdicts,
)


def scripted_pipeline(solves: int = 3, delay: float = 0.0, started: threading.Event | None = None):
    result, obs, records = quadrature_observable("trapezoid-exp")

    def certify_spec(
        spec,
        *,
        solver_name=None,
        progress=None,
        judge_observers=(),
        should_stop=None,
        time_budget=600.0,
    ):
        vs = verdicts()
        for i, v in enumerate(vs):
            notify(judge_observers, GateStarted(v.gate, v.title, i, 5))
            notify(judge_observers, GateFinished(v, i, 5))
        report = report_of(vs)
        notify(judge_observers, JudgeDone(report))
        study = Study()
        for i in range(solves):
            if should_stop and should_stop():
                raise RunCancelled("run stopped by the user")
            progress("solve", i % 3, 3, 0.0)
            if started is not None:
                started.set()
            time.sleep(delay)
            h, value = records[i % 3]
            study.records.append(SolveRecord(i, h, delay, {"integral": value}))
            progress("solved", i % 3 + 1, 3, delay)
        study.results = {"integral": result}
        cert = certificate_for(obs)
        return pipeline.RunResult(spec, report, cert, study, {"total": 0.01})

    return certify_spec


def test_spec_sources(tmp_path):
    text, file = spec_text("dev/heat_1d")
    assert file.endswith("heat_1d.md") and text.startswith("# Specification")
    assert spec_text(text) == (text, None)
    path = tmp_path / "s.md"
    path.write_text(text)
    assert spec_text(path) == (text, str(path))
    wb = workbench(path)
    assert wb.editor.spec is not None and spec_text(wb.editor.spec)[0].startswith("# Spec")


def test_run_shows_gates_progress_certificate_and_plot(monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "certify_spec", scripted_pipeline())
    wb = workbench("dev/heat_1d", out_dir=tmp_path)
    result = wb.run()
    assert wb.gates.statuses == ["PASS"] * 5
    assert wb.certificate.status == "PASS" and wb.runner.state == "PASS"
    assert wb.runner.bar.value == wb.runner.bar.max == 3 and wb.runner.solves == 3
    assert result.bundle is not None and (result.bundle / "certificate.json").is_file()
    assert str(result.bundle) in wb.certificate.pane.object
    assert type(wb.plots.object).__name__ == "Layout"


def test_stop_button_ends_a_background_run(monkeypatch, tmp_path):
    started = threading.Event()
    monkeypatch.setattr(
        pipeline, "certify_spec", scripted_pipeline(solves=10_000, delay=0.01, started=started)
    )
    wb = Workbench("dev/heat_1d", out_dir=tmp_path)
    wb.runner.run_button.clicks += 1  # what the Run button does in a browser
    assert started.wait(10) and wb.runner.state == "RUNNING"
    assert wb.runner.run_button.disabled and not wb.runner.stop_button.disabled
    wb.runner.stop_button.clicks += 1
    assert wb.wait(10) is None
    assert not wb._thread.is_alive()
    assert wb.runner.state == "STOPPED" and wb.runner.solves < 10_000
    assert 'data-status="STOPPED"' in wb.certificate.pane.object
    assert not wb.runner.run_button.disabled


def test_unreadable_spec_is_shown_and_raised(tmp_path):
    wb = workbench("dev/heat_1d", out_dir=tmp_path)
    wb.editor.text = wb.editor.text.replace("## Domain", "## Domian")
    with pytest.raises(Exception, match="no readable spec"):
        wb.run()
    assert wb.runner.state == "ERROR" and 'data-status="ERROR"' in wb.certificate.pane.object


def test_app_factory_and_bad_options(tmp_path, capsys):
    from simlab.cli import main
    from simlab.cli.app_cmd import make_app
    from simlab.paths import DEFAULT_SPEC

    view = make_app(DEFAULT_SPEC, tmp_path, 60.0, "offline")()
    assert type(view).__name__ == "Column" and "simlab-workbench" in view.css_classes
    assert main(["app", "--planner", "gpt", "--port", "0"]) == 2
    assert "unknown planner" in capsys.readouterr().err
    assert main(["app", str(tmp_path / "missing.md"), "--port", "0"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_planners_inference_log_goes_into_the_bundle(monkeypatch, tmp_path):
    class Log:
        def text(self):
            return '{"request_hash": "abc", "purpose": "plan"}\n'

    class LoggingPlanner:
        name = "logging"
        log = Log()

        def draft(self, request, *, feedback=None):  # pragma: no cover - not asked here
            raise AssertionError

    monkeypatch.setattr(pipeline, "certify_spec", scripted_pipeline())
    wb = workbench("dev/heat_1d", out_dir=tmp_path, planner=LoggingPlanner())
    result = wb.run()
    assert (result.bundle / "inference.jsonl").read_text() == LoggingPlanner.log.text()
    assert wb.runner.stop_button.disabled  # Stop is off once the run ended
    wb.runner.request_stop()  # a late press says nothing about the finished run
    assert wb.runner.state == "PASS"
