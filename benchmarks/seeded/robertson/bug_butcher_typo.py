"""Radau IIA tableau with a typo: the second row reads [3/4, 1/3] instead of [3/4, 1/4].

Kind: method coefficients: Butcher-table typo
The row sum no longer equals c2 = 1: the method is inconsistent.
"""

import numpy as np
from correct import SOLVER, Robertson  # noqa: F401

A_TYPO = np.array([[5.0 / 12.0, -1.0 / 12.0], [3.0 / 4.0, 1.0 / 3.0]])


class Typo(Robertson):
    def step(self, y, h):
        stages = np.concatenate([y, y])
        for _ in range(self.newton_max):
            Y = stages.reshape(2, 3)
            F = np.array([self.rhs(Y[0]), self.rhs(Y[1])])
            residual = stages - np.concatenate([y, y]) - h * (A_TYPO @ F).ravel()
            J = [self.jacobian(Y[0]), self.jacobian(Y[1])]
            M = np.eye(6) - h * np.block(
                [[A_TYPO[i, j] * J[j] for j in range(2)] for i in range(2)]
            )
            delta = np.linalg.solve(M, residual)
            stages = stages - delta
            if np.max(np.abs(delta)) <= self.newton_tol:
                break
        return stages[3:]


def solve(spec, resolution):
    return Typo().solve(spec, resolution)
