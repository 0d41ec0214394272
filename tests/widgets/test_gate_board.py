"""The gate board lights up gate by gate from the Judge's event stream and shows its numbers."""

from __future__ import annotations

import pytest

from simlab.judge.events import GateFinished, GateStarted, JudgeDone, notify
from simlab.widgets import GateBoard
from tests.widgets.conftest import GATES, report_of, verdicts


def _drive(board: GateBoard, fail_at: int | None, *, base: int = 0, stop_after: int | None = None):
    vs = verdicts(fail_at)
    for i, v in enumerate(vs):
        if stop_after is not None and i >= stop_after:
            return vs
        notify([board], GateStarted(v.gate, v.title, i + base, len(vs)))
        assert board.statuses[i] == "RUNNING"
        assert board.statuses[i + 1 :] == ["PENDING"] * (len(vs) - i - 1)
        notify([board], GateFinished(v, i + base, len(vs)))
    notify([board], JudgeDone(report_of(vs)))
    return vs


@pytest.mark.parametrize("base", [0, 1])
def test_five_gates_light_up_in_order(base):
    board = GateBoard()
    assert board.statuses == ["PENDING"] * 5
    _drive(board, None, base=base)
    assert board.statuses == ["PASS"] * 5
    html = board._cards[0].header.object
    assert 'data-status="PASS"' in html and "Dimensional consistency" in html and "[S1]" in html
    assert 'data-status="PASS"' in board._summary.object


@pytest.mark.parametrize("fail_at", [0, 2, 4])
def test_failed_gate_shows_condition_fix_and_numbers(fail_at):
    board = GateBoard()
    _drive(board, fail_at)
    expected = ["PASS"] * 5
    expected[fail_at] = "FAIL"
    assert board.statuses == expected
    details = board._cards[fail_at][0].object
    assert "fix:" in details and "change the spec" in details and "terms" in details
    summary = board._summary.object
    assert 'data-status="REJECT"' in summary and GATES[fail_at][2] in summary


def test_partial_run_then_reset():
    board = GateBoard()
    _drive(board, None, stop_after=2)
    assert board.statuses == ["PASS", "PASS", "PENDING", "PENDING", "PENDING"]
    board.reset()
    assert board.statuses == ["PENDING"] * 5 and board.events == []


def test_report_without_live_events_fills_the_board():
    board = GateBoard()
    board.show_report(report_of(verdicts(3)))
    assert board.statuses == ["PASS", "PASS", "PASS", "FAIL", "PASS"]


def test_rows_are_named_from_the_judge_before_it_runs():
    from simlab.judge import GATE_IDS

    board = GateBoard()
    assert [s.gate for s in board.states] == list(GATE_IDS)
    assert "Dimensional consistency" in board._cards[0].header.object


def test_an_unknown_gate_gets_a_new_row():
    board = GateBoard(gates=[("a", "A"), ("b", "B")])
    (v,) = verdicts()[:1]
    notify([board], GateStarted("extra", "Extra gate", 2, 3))
    assert len(board.states) == 3 and board.statuses == ["PENDING", "PENDING", "RUNNING"]
    notify([board], GateFinished(v, 0, 3))
    assert len(board.states) == 4 and board.statuses[-1] == "PASS"
