"""binder/: the files Binder (repo2docker) uses, checked and then used in a new virtual env.

Measured on this 2-core machine: a fully isolated ``pip install -r binder/requirements.txt``
takes about 5 minutes (169 distributions from the package index), too long for every test run.
So the suite (1) resolves the pins in a fresh, isolated venv with ``pip install --dry-run``
(proves Binder's install resolves; about a minute, run alongside (2)), and (2) builds a venv with
``--system-site-packages``, installs the requirements there (already satisfied when the pins are
the tested versions), runs ``binder/postBuild`` in it exactly as Binder would, and executes the
quickstart with papermill in that venv's own kernel.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.notebooks.conftest import NOTEBOOKS, ROOT

BINDER = ROOT / "binder"
pytestmark = pytest.mark.notebook


def pins() -> dict[str, Requirement]:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    reqs = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): r for r in reqs}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_requirements_pin_every_runtime_dependency():
    pinned = pins()
    for text in project()["dependencies"]:
        need = Requirement(text)
        name = canonicalize_name(need.name)
        assert name in pinned, f"binder/requirements.txt lacks {need.name} (pyproject: {text})"
        pin = pinned[name]
        (spec,) = pin.specifier
        assert spec.operator == "==", f"{pin}: pin an exact, tested version"
        assert need.specifier.contains(spec.version), f"{pin} does not satisfy {text}"
        assert need.extras <= pin.extras, f"{pin} lacks the extras of {text}"
    for tool in ("jupyterlab", "ipykernel", "papermill"):
        assert tool in pinned, f"Binder needs {tool} to open and run the notebooks"


def test_postbuild_installs_simlab_and_runtime_matches():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable"
    text = post.read_text()
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert re.search(r"pip install .*-e \.", text), "postBuild installs simlab from the checkout"
    runtime = (BINDER / "runtime.txt").read_text().strip()
    version = runtime.removeprefix("python-")
    assert project()["requires-python"] == ">=3.11" and version.startswith("3.1")
    assert tuple(int(x) for x in version.split(".")) >= (3, 11)


def test_readme_badge_opens_the_quickstart_in_jupyterlab():
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"\(https://mybinder\.org/v2/gh/[^)]+\)", readme)
    assert badge, "README has a Binder badge"
    assert "urlpath=lab/tree/notebooks/01-quickstart.ipynb" in badge.group(0)
    assert (NOTEBOOKS / "01-quickstart.ipynb").is_file()


def _venv(path: Path, *flags: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", *flags, str(path)], check=True)
    return path / "bin" / "python"


@pytest.fixture(scope="module")
def isolated_resolution(tmp_path_factory):
    """Start resolving the pins in an isolated venv; it runs (mostly waiting on the package
    index) while the quickstart test below works, and the last test collects it."""
    where = tmp_path_factory.mktemp("isolated")
    python = _venv(where / "venv")
    report = where / "report.json"
    process = subprocess.Popen(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--dry-run",
            "--report",
            str(report),
            "-r",
            str(BINDER / "requirements.txt"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process, report
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_quickstart_runs_in_a_binder_venv(tmp_path, isolated_resolution):
    venv = tmp_path / "binder-venv"
    python = _venv(venv, "--system-site-packages")
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "JUPYTER_PATH": str(venv / "share" / "jupyter"),
    }
    env.pop("PYTHONPATH", None)
    pip = [str(python), "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt")]
    done = subprocess.run(pip, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    post = subprocess.run(
        ["bash", str(BINDER / "postBuild")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert post.returncode == 0, post.stderr[-3000:]
    kernel = venv / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    assert json.loads(kernel.read_text())["argv"][0] == str(python)
    results = tmp_path / "quickstart.json"
    run = subprocess.run(
        [
            str(python),
            "-m",
            "papermill",
            str(NOTEBOOKS / "01-quickstart.ipynb"),
            str(tmp_path / "out.ipynb"),
            "-k",
            "python3",
            "--execution-timeout",
            "300",
            "--cwd",
            str(tmp_path),
            "-p",
            "planner",
            "offline",
            "-p",
            "out_dir",
            str(tmp_path / "runs"),
            "-p",
            "time_budget",
            "120",
            "-p",
            "results_path",
            str(results),
            "--no-progress-bar",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    numbers = json.loads(results.read_text())
    assert numbers["python"] == str(python), "the quickstart ran in the Binder venv's kernel"
    assert numbers["status"] == "PASS" and abs(numbers["observed_order"] - 2.0) < 0.2


@pytest.mark.slow
def test_requirements_resolve_in_an_isolated_venv(isolated_resolution):
    process, report = isolated_resolution
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]
    installed = {
        canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"]
        for i in json.loads(report.read_text())["install"]
    }
    for name, pin in pins().items():
        assert installed.get(name) == next(iter(pin.specifier)).version, name
