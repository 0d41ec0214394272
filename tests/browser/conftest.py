"""Headless Chromium from Debian's package, driven by playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import re
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
#: chromium resolves no host name but this machine's: nothing a page asks for leaves it
OFFLINE_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


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


def stop(process: subprocess.Popen) -> None:
    """End a server this test started: terminate, then kill if it lingers."""
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


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
        stop(process)


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


# ---------------------------------------------------------------- JupyterLab, once per session

NOTEBOOK_SETTINGS = {
    # every cell stays in the page (no windowing), so each output can be checked
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # no news, no update check: nothing leaves this machine
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


class JupyterLab:
    """A JupyterLab server on loopback: its URL, token and the folder it serves."""

    def __init__(self, url: str, token: str, root: Path, process: subprocess.Popen) -> None:
        self.url, self.token, self.root, self.process = url, token, root, process

    def shutdown_kernels(self) -> None:
        """Shut down every kernel of this server (a finished notebook's kernel holds its
        imports, threads and memory while the next notebook runs)."""
        import json

        api = f"{self.url}api/kernels"
        headers = {"Authorization": f"token {self.token}"}
        with urllib.request.urlopen(urllib.request.Request(api, headers=headers)) as answer:
            kernels = json.load(answer)
        for kernel in kernels:
            request = urllib.request.Request(
                f"{api}/{kernel['id']}", headers=headers, method="DELETE"
            )
            urllib.request.urlopen(request, timeout=60).close()

    def lab_url(self, path: str) -> str:
        """The notebook alone in a fresh workspace (no panel left open by an earlier test)."""
        workspace = re.sub(r"\W", "-", path)
        return f"{self.url}lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory) -> Iterator[JupyterLab]:
    """One JupyterLab server for the session (random port, token, no browser, loopback only),
    serving a scratch folder; the kernel imports this checkout's simlab and has no API key."""
    import json
    import secrets

    from tests.notebooks.conftest import ensure_kernel

    ensure_kernel()
    base = tmp_path_factory.mktemp("jupyterlab")
    root, settings, runtime = base / "root", base / "settings", base / "runtime"
    for folder in (root, settings, runtime):
        folder.mkdir()
    for name, values in NOTEBOOK_SETTINGS.items():
        plugin, file = name.split("/", 1)[0], name.split("/", 1)[1]
        target = settings / plugin / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(runtime),
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    log = (base / "jupyterlab.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{url}api/status?token={token}", process, timeout=180.0)
        yield JupyterLab(url, token, root, process)
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="package")
def chromium():
    """Debian's headless chromium for this package's tests (playwright drives it; never
    downloads one).

    Package scope, not session: playwright's sync API leaves its asyncio loop marked as
    running on the main thread while it is open, so panel schedules async click handlers
    on a loop that nobody turns. Held open for the whole session, it silently swallowed
    every later widget test's button click (CI, session 3)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=[*CHROMIUM_ARGS, OFFLINE_RULES], headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class PageLog:
    """What a page did that it should not: console errors, failed or refused requests."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.blocked: list[str] = []

    def problems(self) -> list[str]:
        return self.blocked + self.failed + self.console_errors


@pytest.fixture
def lab_page(chromium):
    """A fresh browser context and page; requests that leave this machine are refused (the
    browser resolves no outside host, ``OFFLINE_RULES``) and recorded, as are console errors
    and failed loads (``page.log``).

    Requests are watched, not routed: a route handler holds every request until the test
    next calls playwright, so a test waiting on something else (a file, a clock) held the
    page's own requests back; and each of the hundreds of JupyterLab files made a round trip
    through Python."""
    context = chromium.new_context(viewport={"width": 1500, "height": 1800})
    log = PageLog()

    def outside(request):
        host = request.url.split("/")[2] if "://" in request.url else ""
        if not request.url.startswith(("data:", "blob:")) and host.split(":")[0] not in LOCAL_HOSTS:
            log.blocked.append(request.url)

    def on_response(response):
        if response.status >= 400:
            log.failed.append(f"{response.status} {response.url}")

    page = context.new_page()
    page.on("request", outside)
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("requestfailed", lambda r: log.failed.append(f"failed {r.url} ({r.failure})"))
    page.on("response", on_response)
    page.log = log  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
