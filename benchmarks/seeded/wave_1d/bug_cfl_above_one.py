"""Leapfrog at Courant number 1.2 ('a bigger step is faster').

Kind: stability: time step beyond the limit
Leapfrog for the wave equation is stable only for c dt / dx <= 1.
"""

from correct import SOLVER as BASE
from correct import Wave1D

SOLVER = {
    **BASE,
    "name": "wave_leapfrog_cfl12",
    "discretization": {"method": "finite_difference", "scheme": "leapfrog", "cfl": 1.2},
}


class Fast(Wave1D):
    cfl = 1.2


def solve(spec, resolution):
    return Fast().solve(spec, resolution)
