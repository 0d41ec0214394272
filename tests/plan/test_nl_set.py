"""The NL test set, scored for the offline drafter (thresholds it meets honestly)."""

from __future__ import annotations

from simlab.plan.nl_eval import NL_SET, load_nl_set, score, split_sets
from simlab.plan.offline import OfflinePlanner


def test_nl_set_has_the_required_size() -> None:
    sets = split_sets(load_nl_set(NL_SET))
    assert len(sets["main"]["complete"]) >= 30
    assert len(sets["main"]["ambiguous"]) >= 20
    families = {c["family"] for c in sets["main"]["complete"]}
    assert len(families) == 13  # every dev family


def test_offline_drafter_scores(capsys) -> None:
    sets = split_sets(load_nl_set(NL_SET))
    main = score(OfflinePlanner(), sets["main"])
    heldout = score(OfflinePlanner(), sets["heldout"])
    with capsys.disabled():
        print("\nNL set, offline drafter (written alongside it):\n" + main.table())
        print("NL held-out set (not used for tuning):\n" + heldout.table())
    assert main.family_accuracy >= 0.95
    assert main.parameter_accuracy >= 0.95
    assert main.question_rate == 1.0
    assert main.question_recall >= 0.95
    # held out: whatever is not drafted right must be a question, never a wrong spec
    assert heldout.question_rate == 1.0
    wrong_specs = [c for c in heldout.cases if not c.ok and c.outcome.startswith("drafted")]
    assert wrong_specs == []
