"""Headless Chromium from Debian's package, driven by playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def chromium_path() -> str:
    """Debian's chromium, or a failure that says how to install it (never skipped)."""
    path = os.environ.get("SIMLAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(
            "the browser test needs Debian's chromium: run `apt-get install chromium` "
            "(.ci/run does this in CI); playwright's own browser download is not used",
            pytrace=False,
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the server exited with {process.returncode}:\n{out}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.fixture
def simlab_app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``simlab app`` on a free local port; yields its URL and the bundle folder."""
    port = free_port()
    runs = tmp_path / "runs"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simlab",
            "app",
            "--port",
            str(port),
            "--out",
            str(runs),
            "--no-show",
            "--time-budget",
            "120",
            "--planner",
            "offline",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process)
        yield url, runs
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture
def browser_page(tmp_path: Path):
    """A page in headless Debian chromium; requests that leave this machine are refused."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    blocked: list[str] = []

    def only_local(route, request):
        host = request.url.split("/")[2] if "://" in request.url else ""
        if (
            request.url.startswith(("data:", "blob:"))
            or host.split(":")[0] in LOCAL_HOSTS
            or (host.startswith("[::1]"))
        ):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1500},
        )
        context.route("**/*", only_local)
        page = context.new_page()
        page.blocked = blocked  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
