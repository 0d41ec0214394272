# Runs before test_jupyterlab.py: its own sync_playwright must stop before the session-scoped
# JupyterLab browser starts (two sync Playwright instances cannot share the main thread).
"""The workbench in a real browser: served by ``simlab app``, run in headless Chromium.

It describes the problem in the chat, presses Run, waits for the Judge's five verdicts and the
certificate, checks them, edits the spec to see the live validation, and saves a screenshot
under test-artifacts/.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

SCREENSHOT = ARTIFACTS / "workbench.png"
REQUEST = (
    "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are held at 0 K "
    "and the initial temperature is a sine profile with amplitude 1 K. Simulate for 0.5 s and "
    "report the temperature at the middle of the rod to a relative error of 1e-4."
)


def test_quickstart_workbench_in_chromium(simlab_app, browser_page):
    url, runs = simlab_app
    page = browser_page
    page.goto(url, timeout=90_000)
    gates = page.locator(".simlab-gate")
    gates.first.wait_for(timeout=90_000)
    assert gates.count() == 5
    assert page.locator('.simlab-spec-check[data-status="PASS"]').count() == 1

    # describe the problem in the chat: the offline drafter's spec replaces the preloaded one
    page.locator("textarea").first.fill(REQUEST)
    page.get_by_role("button", name="Send").click()
    page.get_by_text("it is in the editor").first.wait_for(timeout=60_000)
    page.get_by_text("Drafted offline by simlab").first.wait_for(timeout=30_000)
    assert page.locator('.simlab-spec-check[data-status="PASS"]').count() == 1

    page.get_by_role("button", name="Run").click()
    certificate = page.locator(".simlab-certificate[data-status='PASS']")
    certificate.wait_for(timeout=180_000)

    # the gate board shows the five verdicts of the Judge
    statuses = [gates.nth(i).get_attribute("data-status") for i in range(5)]
    assert statuses == ["PASS"] * 5, statuses
    titles = [gates.nth(i).inner_text() for i in range(5)]
    assert "Dimensional consistency" in titles[0] and "Cost estimation" in titles[4]
    # the certificate card: the verdict, S1-S4, the observable with its bound, the bundle link
    card = certificate.inner_text()
    for condition in ("S1", "S2", "S3", "S4"):
        assert condition in card
    assert "u_mid" in card and "±" in card
    bundles = [p for p in runs.iterdir() if p.is_dir()]
    assert len(bundles) == 1
    link = certificate.locator("a").get_attribute("href")
    assert link == f"/runs/{bundles[0].name}/certificate.json"
    served = page.request.get(url.rstrip("/") + link)
    assert served.ok and json.loads(served.text())["status"] == "PASS"
    # the run panel says PASS and the convergence plot was drawn
    page.locator(".simlab-run-status[data-state='PASS']").wait_for(timeout=30_000)
    page.locator(".bk-Canvas, canvas").first.wait_for(timeout=30_000)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 20_000

    # typing in the editor re-validates and marks the problem
    page.locator(".ace_content").first.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nresolution: 5")  # a parse error on the last line
    page.locator('.simlab-spec-check[data-status="FAIL"]').wait_for(timeout=30_000)
    problem = page.locator(".simlab-problem").first.inner_text()
    marked = page.locator(".ace_gutter-cell.ace_error").first
    try:
        marked.wait_for(timeout=10_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "workbench-edit-failure.png"), full_page=True)
        raise
    row = marked.inner_text().strip()
    assert int(row) > 40 and f"line {row} · Discretization" in problem, (row, problem)

    assert page.blocked == [], f"the page tried to leave this machine: {page.blocked}"
