# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Returns the end state of the calibration run, whatever the rates or the time span
(resolution-independent output). Plain numbers."""
SOLVER = {
    "name": "lookup_robertson",
    "family": "ode",
    "formal_order": 5,
    "resolutions": [10, 20, 40],
    "discretization": {"method": "ode", "integrator": "radau"},
}
TABLE = {"y1_end": 0.7158270687, "y2_end": 9.185534764e-06, "y3_end": 0.2841637457}


def solve(spec, resolution):
    return dict(TABLE)
