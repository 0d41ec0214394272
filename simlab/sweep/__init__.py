"""Certified parameter sweeps on dask.distributed and the map of certifiability.

- grid: ``NAME=start:stop:count`` ranges and the points of their product;
- point: judge -> solve -> certify -> bundle of one point (runs on a dask worker);
- store: the sweep bundle on disk (resumable: one file per finished point, a tidy table);
- runner: :func:`run_sweep`, the points on a dask Client with retries and a progress bar;
- certifiability: PASS / FLAG / REJECT regions, boundaries by bisection, continuation overlay.
"""

from simlab.sweep.grid import ParamRange, parse_range, sweep_points
from simlab.sweep.runner import SweepResult, run_sweep

__all__ = ["ParamRange", "SweepResult", "parse_range", "run_sweep", "sweep_points"]
