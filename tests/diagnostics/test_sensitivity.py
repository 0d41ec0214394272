"""Ensemble perturbation and parameter probe: flags with evidence, on and off a boundary."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from simlab.diagnostics import DiagnosticsError, ensemble_perturbation, parameter_probe
from simlab.diagnostics.corrector import newton_fixed_parameter
from simlab.diagnostics.problems import bratu_1d
from simlab.diagnostics.references import bratu_fold_exact


def lorenz_final_state(p: dict) -> np.ndarray:
    s, r, b = p["sigma"], p["rho"], p["beta"]

    def f(_t: float, v: np.ndarray) -> list[float]:
        return [s * (v[1] - v[0]), v[0] * (r - v[2]) - v[1], v[0] * v[1] - b * v[2]]

    return solve_ivp(f, (0.0, p["t_end"]), p["x0"], rtol=1e-9, atol=1e-9).y[:, -1]


def lorenz_params(rho: float) -> dict:
    return {
        "sigma": 10.0,
        "rho": rho,
        "beta": 8.0 / 3.0,
        "x0": np.array([1.0, 1.0, 20.0]),
        "t_end": 30.0,
        "label": "lorenz",
    }


# rho = 28: chaos. rho = 20: transient chaos (13.93 < rho < 24.06) ends on C+ or C- depending
# on the perturbation, so the final state is sensitive too. rho = 5, 10: attracting C+-.
@pytest.mark.parametrize(
    ("rho", "flagged"), [(28.0, True), (20.0, True), (10.0, False), (5.0, False)]
)
def test_ensemble_flags_chaos_and_not_a_stable_equilibrium(rho: float, flagged: bool) -> None:
    result = ensemble_perturbation(
        lorenz_final_state, lorenz_params(rho), perturb=["x0"], scheduler=None
    )
    cv = result.evidence["coefficient_of_variation"]
    assert result.flagged is flagged
    assert (cv > 0.1) is flagged
    if flagged:
        (flag,) = result.flags
        assert flag.quantity == "coefficient_of_variation" and flag.value == cv
        assert flag.threshold == 0.1
    else:
        assert cv < 1e-3  # perturbations of 1e-3 decay onto the attracting equilibrium
    assert result.evidence["n_members"] == 5 and result.evidence["perturbed"] == ["x0"]


def test_ensemble_default_perturbs_float_inputs_only_and_reports_cv() -> None:
    seen: list[dict] = []

    def solve(p: dict) -> float:
        seen.append(p)
        return p["a"] * p["b"]

    result = ensemble_perturbation(solve, {"a": 2.0, "b": 3.0, "n": 10}, scheduler=None, seed=1)
    assert result.evidence["perturbed"] == ["a", "b"]
    assert all(p["n"] == 10 for p in seen)
    assert all(p["a"] != 2.0 and abs(p["a"] / 2.0 - 1.0) < 5e-3 for p in seen)
    values = np.array([p["a"] * p["b"] for p in seen])
    expected = values.std(ddof=1) / abs(values.mean())
    assert result.evidence["coefficient_of_variation"] == pytest.approx(expected, rel=1e-12)
    assert 1e-4 < expected < 5e-3 and not result.flagged  # ~ sqrt(2) * 1e-3


def test_ensemble_reports_failed_members() -> None:
    def solve(p: dict) -> float:
        if p["lam"] > 1.0:
            raise RuntimeError("no solution")
        return 1.0

    result = ensemble_perturbation(solve, {"lam": 1.0}, scheduler=None, seed=0)
    assert result.flagged and result.flags[0].quantity == "failed_members"
    assert all("no solution" in f for f in result.evidence["failures"])


def test_ensemble_on_a_dask_local_cluster_gives_the_synchronous_numbers() -> None:
    params = lorenz_params(28.0)
    local = ensemble_perturbation(lorenz_final_state, params, perturb=["x0"], scheduler="local")
    sync = ensemble_perturbation(lorenz_final_state, params, perturb=["x0"], scheduler=None)
    assert local.evidence["coefficient_of_variation"] == pytest.approx(
        sync.evidence["coefficient_of_variation"], rel=1e-12
    )
    assert local.flagged


def test_ensemble_accepts_a_scheduler_address() -> None:
    from distributed import LocalCluster

    params = lorenz_params(10.0)
    sync = ensemble_perturbation(lorenz_final_state, params, perturb=["x0"], scheduler=None)
    with LocalCluster(processes=False, n_workers=1, dashboard_address=None) as cluster:
        remote = ensemble_perturbation(
            lorenz_final_state, params, perturb=["x0"], scheduler=cluster.scheduler_address
        )
    assert isinstance(cluster.scheduler_address, str)
    assert remote.evidence["member_norms"] == pytest.approx(sync.evidence["member_norms"])
    assert not remote.flagged


def _bratu_midpoint(p: dict) -> float:
    s = bratu_1d(31)
    return float(newton_fixed_parameter(s.problem, s.u0, p["lam"])[15])


@pytest.mark.parametrize(("lam", "flagged"), [(1.0, False), (3.0, False), (3.45, True)])
def test_probe_flags_a_fold_within_five_percent(lam: float, flagged: bool) -> None:
    result = parameter_probe(_bratu_midpoint, {"lam": lam})
    lam_c = bratu_fold_exact()[0]
    assert (lam * 1.05 > lam_c) is flagged  # the fold lies inside the probed interval
    assert result.flagged is flagged
    jumps = result.evidence["relative_jump"]
    if flagged:
        assert jumps["lam+5%"] == np.inf and result.flags[0].quantity == "failed[lam+5%]"
    else:
        assert max(jumps.values()) < 0.5


def test_probe_numbers_are_the_relative_jumps() -> None:
    result = parameter_probe(lambda p: np.array([p["k"] ** 2, 0.0]), {"k": 2.0, "tag": "x"})
    jumps = result.evidence["relative_jump"]
    assert jumps["k+5%"] == pytest.approx(1.05**2 - 1.0, rel=1e-12)
    assert jumps["k-5%"] == pytest.approx(1.0 - 0.95**2, rel=1e-12)
    assert result.evidence["amplification"]["k+5%"] == pytest.approx(2.05, rel=1e-12)
    assert not result.flagged

    def jump(p: dict) -> float:
        return 1.0 if p["theta"] < 1.02 else 3.0  # a branch switch between theta and +5%

    stepped = parameter_probe(jump, {"theta": 1.0})
    assert stepped.flagged
    (flag,) = stepped.flags
    assert flag.quantity == "relative_jump[theta+5%]" and flag.value == pytest.approx(2.0)
    assert "relative jump" in stepped.summary()


def test_probe_and_ensemble_reject_bad_input() -> None:
    with pytest.raises(DiagnosticsError, match="nonzero float"):
        parameter_probe(lambda p: 1.0, {"a": 0.0})
    with pytest.raises(DiagnosticsError, match="cannot perturb"):
        ensemble_perturbation(lambda p: 1.0, {"n": 3}, perturb=["n"], scheduler=None)
    with pytest.raises(DiagnosticsError, match="scheduler"):
        ensemble_perturbation(lambda p: 1.0, {"a": 1.0}, scheduler=42)
    with pytest.raises(DiagnosticsError, match="baseline"):
        parameter_probe(lambda p: 1.0 / 0.0, {"a": 1.0})
