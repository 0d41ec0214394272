"""Notebook 1 in Jupyter Notebook 7's own UI (served by the browser tests' JupyterLab server),
in headless Chromium, offline: its simlab views and its plot render, nothing fails to load."""

from __future__ import annotations

import shutil
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_jupyterlab import assert_clean, drawn_canvases, menu
from tests.notebooks.conftest import NOTEBOOKS

pytestmark = pytest.mark.browser

NAME = "01-quickstart.ipynb"


@pytest.mark.slow
def test_quickstart_renders_in_notebook_7(jupyterlab, lab_page):
    try:
        run_in_notebook_7(jupyterlab, lab_page)
    finally:  # the next test gets the machine without this kernel
        jupyterlab.shutdown_kernels()


def run_in_notebook_7(jupyterlab, page) -> None:
    """Open a copy of notebook 1 in Notebook 7, run all cells, check what it shows."""
    target = f"nb7-{NAME}"  # its own copy: the JupyterLab test runs the same notebook
    shutil.copy(NOTEBOOKS / NAME, jupyterlab.root / target)
    page.goto(f"{jupyterlab.url}notebooks/{target}?token={jupyterlab.token}", timeout=180_000)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=180_000)
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:  # Notebook 7 asks for a kernel when it opens a notebook on a fresh server
        dialog.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        pass  # it did not ask: the notebook's own kernel starts
    else:
        dialog.get_by_role("button", name="Select").click()
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const done = p => /^\\[\\d+\\]:$/.test(p.innerText.trim());
            return prompts.length > 0 && prompts.every(done);
        }""",
        timeout=900_000,  # a loaded 2-core machine; ends when all ran
        polling=1000,
    )
    views = page.locator(".jp-OutputArea .simlab-certificate[data-status]")
    views.first.wait_for(timeout=60_000)
    assert page.locator(".jp-OutputArea .simlab-gate").count() >= 5
    deadline = time.monotonic() + 120
    while drawn_canvases(page) < 1 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)  # keeps the page's requests flowing
    assert drawn_canvases(page) >= 1, "the convergence plot is drawn"
    shots = ARTIFACTS / "notebook7"
    shots.mkdir(parents=True, exist_ok=True)
    page.locator(".jp-OutputArea canvas").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "01-quickstart.png"))
    assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
    assert_clean(page)
