"""Upwind at Courant number 1.5.

Kind: stability: time step beyond the limit
First-order upwind is stable only for |a| dt / dx <= 1.
"""

from correct import SOLVER as BASE
from correct import Advection1D

SOLVER = {
    **BASE,
    "name": "advection_upwind_cfl15",
    "discretization": {"method": "finite_volume", "scheme": "upwind", "cfl": 1.5},
}


class Fast(Advection1D):
    cfl = 1.5


def solve(spec, resolution):
    return Fast().solve(spec, resolution)
