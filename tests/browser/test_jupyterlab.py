"""The notebooks and the workbench in JupyterLab itself, in headless Chromium, offline.

One JupyterLab server serves a scratch copy of notebooks/ for the whole session. Each notebook
is opened in the browser and run with Run > Run All Cells, as a person would; then the saved
notebook must hold no error output, the page must show its Bokeh canvases and panel views, no
"Error displaying widget", no console error and no failed or outside request. A bare
``simlab.ui.workbench()`` in a fresh kernel is then driven by typing and clicking: chat ->
spec -> Judge -> run -> certificate. Screenshots go to test-artifacts/jupyterlab/.

This also runs every notebook from top to bottom as committed (what ``nbval --nbval-lax`` did
before; that test was folded into this one so the suite runs each notebook once).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest

from tests.browser.conftest import ARTIFACTS
from tests.notebooks.conftest import NOTEBOOKS
from tests.notebooks.runs import COMMITTED

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "jupyterlab"
#: what each notebook must show once run: drawn Bokeh canvases, simlab views (CSS selector)
EXPECTED = {
    "01-quickstart.ipynb": {"canvases": 1, "views": {".simlab-gate": 5, ".simlab-certificate": 1}},
    "02-convergence.ipynb": {"canvases": 4, "views": {}},
    "03-judge-rejections.ipynb": {"canvases": 0, "views": {".simlab-gate": 5}},
    "04-continuation.ipynb": {"canvases": 1, "views": {}},
    "05-silent-failures.ipynb": {"canvases": 0, "views": {"img": 1}},
    "06-map-of-certifiability.ipynb": {"canvases": 0, "views": {"img": 3}},
    "07-general-engine.ipynb": {"canvases": 6, "views": {"img": 4}},
}
RUN_TIMEOUT_MS = 900_000  # a loaded 2-core machine; waits end as soon as the condition holds
REQUEST = (
    "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are held at 0 K "
    "and the initial temperature is a sine profile with amplitude 1 K. Simulate for 0.5 s and "
    "report the temperature at the middle of the rod to a relative error of 1e-4."
)


# ---------------------------------------------------------------- driving JupyterLab


def as_committed(name: str, root: Path) -> Path:
    """Put ``notebooks/<name>`` into ``root`` as committed, with only ``results_path`` set (a
    papermill-style injected cell after the parameters), so that this one run also gives the
    key numbers the notebook's own test checks; returns where they will be written."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    results = root / f"{Path(name).stem}.results.json"
    nb = load_notebook_node(str(NOTEBOOKS / name))  # as papermill reads it (tags filled in)
    nbformat.write(parameterize_notebook(nb, {"results_path": str(results)}), root / name)
    return results


def open_notebook(page, lab, name: str) -> None:
    """Open ``name`` in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.lab_url(name), timeout=180_000)
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=180_000)
    page.locator(".jp-KernelName", has_text="Python 3").first.wait_for(timeout=180_000)
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if dialog.count():  # a kernel is asked for: take the preselected Python 3
        dialog.get_by_role("button", name="Select").click()
    wait_idle(page)


def wait_idle(page, timeout: int = 180_000) -> None:
    page.wait_for_function(
        """() => {
            const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return s && s.getAttribute('data-status') === 'idle';
        }""",
        timeout=timeout,
    )


def menu(page, top: str, item: str) -> None:
    """Click ``top`` in the menu bar, then ``item`` in its menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).first.click()


def run_all(page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Run > Run All Cells, then wait until every code cell has an execution count."""
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
            const done = p => /^\\[\\d+\\]:$/.test(p.innerText.trim());
            return prompts.length > 0 && prompts.every(done);
        }""",
        timeout=timeout,
        polling=1000,
    )
    wait_idle(page)


def save(page, lab, name: str, timeout: float = 180.0) -> nbformat.NotebookNode:
    """Save the notebook through the UI and read it back from disk; fail if it is not saved.

    The wait turns playwright's event loop (``page.wait_for_timeout``), never ``time.sleep``:
    every request of the page passes the test's route handler, which runs only while the
    test is inside a playwright call, so a plain sleep held the save request itself back
    until the wait gave up (60 s per notebook, and the test then read the unsaved copy)."""
    path = lab.root / name
    before = path.stat().st_mtime_ns
    menu(page, "File", "Save Notebook")
    deadline = time.monotonic() + timeout
    nb = None
    while nb is None and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        if path.stat().st_mtime_ns != before:
            try:  # the server may still be writing it
                nb = nbformat.read(path, as_version=4)
            except ValueError:  # nbformat's NotJSONError: empty or cut short
                nb = None
    assert nb is not None, f"{name} was not saved within {timeout:.0f} s"
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not c.execution_count]
    assert not unrun, f"{name}: the saved notebook has cells that did not run: {unrun}"
    return nb


def output_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Error outputs, tracebacks and panel's 'library missing' text in a saved notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {i}: {out.ename}: {out.evalue}")
            text = out.get("text", "") + json.dumps(out.get("data", {}).get("text/plain", ""))
            for bad in ("Traceback", "Unable to run Panel code", "requires the panel extension"):
                if bad in text:
                    found.append(f"cell {i}: {bad}: {text[:300]}")
    return found


def drawn_canvases(page) -> int:
    """Bokeh canvases with a size (playwright's CSS engine reaches into shadow roots)."""
    return page.locator(".jp-OutputArea canvas").evaluate_all(
        "els => els.filter(e => e.width > 0 && e.height > 0).length"
    )


def screenshots(page, stem: str) -> list[Path]:
    """The notebook panel at the top and at each output with a canvas (at most four)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    targets = page.locator(".jp-OutputArea-output:has(canvas), .jp-OutputArea-output:has(img)")
    for i in range(min(targets.count(), 4)):
        targets.nth(i).scroll_into_view_if_needed()
        shot = SHOTS / f"{stem}-{i + 1}.png"
        page.screenshot(path=str(shot))
        shots.append(shot)
    if not shots:
        shot = SHOTS / f"{stem}.png"
        page.screenshot(path=str(shot))
        shots.append(shot)
    return shots


def assert_clean(page) -> None:
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.log.problems() == [], page.log.problems()


# ---------------------------------------------------------------- the notebooks


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_and_renders_in_jupyterlab(jupyterlab, lab_page, notebook_runs, name):
    try:
        run_and_check(jupyterlab, lab_page, notebook_runs, name)
    finally:  # the next notebook gets the machine without this one's kernel
        jupyterlab.shutdown_kernels()


def run_and_check(jupyterlab, page, notebook_runs, name: str) -> None:
    """Run ``name`` as committed in JupyterLab; check the saved outputs and what is drawn."""
    results = as_committed(name, jupyterlab.root)
    open_notebook(page, jupyterlab, name)
    run_all(page)
    nb = save(page, jupyterlab, name)
    if results.is_file():  # the notebook's key numbers, read by its papermill test
        notebook_runs.record(name, COMMITTED, json.loads(results.read_text()))
    stem = Path(name).stem
    shots = screenshots(page, stem)
    assert all(s.stat().st_size > 10_000 for s in shots)

    assert output_problems(nb) == []
    expected = EXPECTED[name]
    if expected["canvases"]:
        deadline = time.monotonic() + 120
        while drawn_canvases(page) < expected["canvases"] and time.monotonic() < deadline:
            page.wait_for_timeout(1000)  # keeps the page's requests flowing (see save)
        assert drawn_canvases(page) >= expected["canvases"]
    for selector, count in expected["views"].items():
        views = page.locator(f".jp-OutputArea {selector}")
        views.first.wait_for(timeout=60_000)
        assert views.count() >= count, (selector, views.count())
    # no plot printed as its text repr instead of being drawn
    assert page.get_by_text(re.compile(r"^:(Layout|Overlay|Curve|Scatter)\b")).count() == 0
    assert_clean(page)


# ---------------------------------------------------------------- the workbench, by hand


@pytest.mark.slow
def test_bare_workbench_in_a_fresh_kernel_by_typing_and_clicking(jupyterlab, lab_page):
    try:
        drive_bare_workbench(jupyterlab, lab_page)
    finally:  # the next test gets the machine without this kernel
        jupyterlab.shutdown_kernels()


def drive_bare_workbench(jupyterlab, page) -> None:
    """A bare ``simlab.ui.workbench()`` in a fresh kernel, driven by typing and clicking."""
    name = "workbench.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import simlab.ui\n"
                "simlab.ui.workbench(planner='offline', out_dir='runs', time_budget=180)"
            )
        ],
        metadata=nbformat.read(NOTEBOOKS / "01-quickstart.ipynb", as_version=4).metadata,
    )
    nbformat.write(nb, jupyterlab.root / name)
    open_notebook(page, jupyterlab, name)
    run_all(page, timeout=300_000)
    send = page.get_by_role("button", name="Send", exact=True)
    try:
        send.wait_for(timeout=300_000)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workbench-not-shown.png"))
        raise
    assert page.locator(".jp-OutputArea .simlab-gate").count() == 5

    # describe the problem: the drafted spec appears in the editor and is valid
    chat = page.locator(".jp-OutputArea textarea").first
    chat.click()
    chat.fill(REQUEST)
    send.click()
    try:  # the offline drafter and the Judge run in the kernel: slow on a loaded machine
        page.get_by_text("it is in the editor").first.wait_for(timeout=300_000)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workbench-no-draft.png"))
        raise
    page.locator('.simlab-spec-check[data-status="PASS"]').wait_for(timeout=60_000)
    assert chat.input_value() == "", "the chat box is cleared after Send"

    # run: the Judge's five verdicts, the certificate, the convergence plot
    page.get_by_role("button", name="Run", exact=True).click()
    page.locator(".simlab-certificate[data-status='PASS']").wait_for(timeout=RUN_TIMEOUT_MS)
    gates = page.locator(".simlab-gate")
    # every gate update reaches the page (none lost to a browser message handled at once)
    settled = time.monotonic() + 10
    passed = page.locator(".simlab-gate[data-status='PASS']")
    while time.monotonic() < settled and passed.count() < 5:
        page.wait_for_timeout(200)  # keeps the page's requests flowing (see save)
    assert [gates.nth(i).get_attribute("data-status") for i in range(5)] == ["PASS"] * 5
    card = page.locator(".simlab-certificate").inner_text()
    assert all(c in card for c in ("S1", "S2", "S3", "S4")) and "±" in card
    page.locator(".simlab-run-status[data-state='PASS']").wait_for(timeout=60_000)
    stop = page.get_by_role("button", name="Stop", exact=True)
    assert stop.is_disabled(), "Stop is off once a run ends"
    deadline = time.monotonic() + 120
    while drawn_canvases(page) < 1 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
    assert drawn_canvases(page) >= 1, "the convergence plot is drawn after the run"
    assert len([p for p in (jupyterlab.root / "runs").iterdir() if p.is_dir()]) >= 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".simlab-certificate").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "workbench-certified.png"))

    # Enter in the spec editor makes a new line (JupyterLab does not take the key)
    page.locator(".ace_content").first.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("resolution: 5")  # a parse error on its own, new last line
    page.locator('.simlab-spec-check[data-status="FAIL"]').wait_for(timeout=60_000)
    marked = page.locator(".ace_gutter-cell.ace_error").first
    marked.wait_for(timeout=30_000)
    problem = page.locator(".simlab-problem").first.inner_text()
    row = marked.inner_text().strip()
    assert f"line {row} · " in problem, (row, problem)
    # the Markdown mode was loaded (syntax colouring), without fetching anything
    assert page.locator(".ace_heading, .ace_markup").count() > 0
    page.screenshot(path=str(SHOTS / "workbench-edited.png"))
    assert_clean(page)
