"""Start-up of the command line, as whole processes: ``python benchmarks/bench_startup.py``.

Measures ``simlab --help``, ``simlab validate`` and ``simlab judge`` of one spec (each run
``--repeat`` times; hyperfine when it is installed, else timed subprocesses; median and
spread), and the 13 dev specs certified by ``simlab run`` one process each against the same
13 specs certified in one process (the peer, measured in the same run). Prints a table with
the targets of issue 14. The machine may be loaded: read the spread, not only the median.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "dev" / "heat_1d.md"
DEV = sorted((ROOT / "specs" / "dev").glob("*.md"))
SIMLAB = [sys.executable, "-m", "simlab"]
TARGETS = {"--help": 0.5, "validate": 1.5, "judge": 2.5, "13 x run": 60.0}
ONE_PROCESS = """
import sys, time
from simlab.pipeline import certify_spec
from simlab.spec import parse_file
t = time.perf_counter()
for path in sys.argv[1:]:
    certify_spec(parse_file(path))
print(time.perf_counter() - t)
"""


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) times of ``repeat`` runs of ``cmd``, after one warm-up run.

    hyperfine, when installed, gives the wall times; CPU times come from getrusage, which a
    loaded machine inflates much less than wall time.
    """
    subprocess.run(cmd, capture_output=True)  # warm the file cache
    cpu = []
    for _ in range(repeat):
        before = cpu_children()
        subprocess.run(cmd, capture_output=True)
        cpu.append(cpu_children() - before)
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [
                    "hyperfine",
                    "-N",
                    "--warmup",
                    "1",
                    "--runs",
                    str(repeat),
                    "--export-json",
                    out.name,
                    " ".join(cmd),
                ],
                check=True,
                capture_output=True,
            )
            return json.loads(Path(out.name).read_text())["results"][0]["times"], cpu
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - start)
    return times, cpu


def run_each(specs: list[Path], out: Path) -> tuple[float, list[int]]:
    """13 ``simlab run`` processes in turn: total wall time and exit codes."""
    start = time.perf_counter()
    codes = [
        subprocess.run([*SIMLAB, "run", str(s), "--out", str(out)], capture_output=True).returncode
        for s in specs
    ]
    return time.perf_counter() - start, codes


def run_together(specs: list[Path]) -> tuple[float, float]:
    """The same specs in one process: (wall time of the process, time inside certify_spec)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", ONE_PROCESS, *map(str, specs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, float(done.stdout.strip().splitlines()[-1])


def row(name: str, times: list[float], cpu: list[float]) -> str:
    med, cpu_med = statistics.median(times), statistics.median(cpu)
    target = TARGETS[name]
    verdict = "ok" if med <= target else ("ok (CPU)" if cpu_med <= target else "OVER")
    return (
        f"| {name:<10} | {med:8.2f} | {min(times):6.2f} | {max(times):6.2f} | {cpu_med:6.2f} "
        f"| {len(times):>3} | {target:6.1f} | {verdict:<8} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    parser.add_argument("--skip-runs", action="store_true", help="skip the 13-spec comparison")
    args = parser.parse_args()
    tool = "hyperfine" if shutil.which("hyperfine") else "subprocess timing"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}; {tool}; {os.cpu_count()} CPUs, load average {load}")
    print("| command    | median s |  min s |  max s |  CPU s |   n | target | verdict  |")
    print("|------------|---------:|-------:|-------:|-------:|----:|-------:|----------|")
    for name, cmd in (
        ("--help", [*SIMLAB, "--help"]),
        ("validate", [*SIMLAB, "validate", str(SPEC)]),
        ("judge", [*SIMLAB, "judge", str(SPEC)]),
    ):
        print(row(name, *timed(cmd, args.repeat)), flush=True)
    if args.skip_runs:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        before = cpu_children()
        each, codes = run_each(DEV, Path(tmp))
        each_cpu = cpu_children() - before
    together, inside = run_together(DEV)
    print(row("13 x run", [each], [each_cpu]))
    print(
        f"\n13 dev specs: {each:.1f} s as 13 `simlab run` processes (exit codes {codes}); "
        f"{together:.1f} s in one process ({inside:.1f} s inside certify_spec); "
        f"start-up overhead per process {(each - inside) / len(DEV):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
