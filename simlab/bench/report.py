"""Views of a benchmark summary: Markdown tables and the silent-failure bar chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{100 * rate:.1f} %"


def headline_table(s: dict[str, Any]) -> str:
    pv = s["physverify"]
    rows = [
        ("seeded-bug variants (wrong at >= 1 point)", str(s["variants"])),
        ("benign bug modules (right everywhere; not counted)", str(len(s["benign_modules"]))),
        ("modules / parameter points / cases", f"{s['modules']} / {s['points']} / {s['cases']}"),
        ("wrong cases (bug module, point)", str(s["wrong_cases"])),
        (
            "silent failures without the Judge",
            f"{s['silent_without_judge']} ({_pct(s['silent_rate_without_judge'])})",
        ),
        (
            "silent failures with the full pipeline",
            f"{s['silent_with_judge']} ({_pct(s['silent_rate_with_judge'])})",
        ),
        (
            "false positives on the correct modules",
            f"{s['false_positives_correct_modules']}/{s['correct_module_cases']} "
            f"({_pct(s['false_positive_rate_correct_modules'])})",
        ),
        (
            "right cases flagged, any module (the issue's definition)",
            f"{s['false_positives']}/{s['right_cases']} ({_pct(s['false_positive_rate'])})",
        ),
        ("... of which on benign bug modules", str(s["flags_on_benign_modules"])),
        (
            "... of which on right answers of buggy modules",
            str(s["flags_on_right_answers_of_buggy_modules"]),
        ),
        (
            "wrong cases certified right after refinement",
            str(s["certified_right_after_refinement"]),
        ),
        (
            "physverify: caught where it applies",
            f"{pv['caught']}/{pv['applicable_wrong_cases']} ({_pct(pv['detection_rate'])})",
        ),
        (
            "full pipeline not silent on the same cases",
            _pct(pv["pipeline_not_silent_rate_same_cases"]),
        ),
        (
            "physverify false positives",
            f"{pv['false_positives']} ({_pct(pv['false_positive_rate'])})",
        ),
        ("wall time (2 workers)", f"{s['seconds']} s"),
    ]
    lines = ["| quantity | value |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def corpora_table(s: dict[str, Any]) -> str:
    """Both corpora side by side, and the total (from :func:`summarize_corpora`)."""
    head = (
        "| corpus | variants (benign) | wrong cases | silent, no Judge | silent, Judge | "
        "false positives, correct modules | right cases flagged | PASS | evidence kinds per "
        "PASS observable: min / mean | PASS without independent evidence |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, sub in [*s["per_corpus"].items(), ("**total**", s)]:
        ev = sub["evidence_per_pass"]
        lines.append(
            f"| {name} | {sub['variants']} ({len(sub['benign_modules'])}) | "
            f"{sub['wrong_cases']} | {sub['silent_without_judge']} | "
            f"{sub['silent_with_judge']} | {sub['false_positives_correct_modules']}/"
            f"{sub['correct_module_cases']} | {sub['false_positives']}/{sub['right_cases']} | "
            f"{ev['passes']} | {ev['min']} / {ev['mean']} | "
            f"{len(ev['without_independent_evidence'])} |"
        )
    return "\n".join(lines)


def point_table(s: dict[str, Any]) -> str:
    """Silent failures at every parameter point (one summary: a corpus or the total)."""
    lines = [
        "| problem | point | wrong cases | silent, no Judge | silent, Judge | "
        "false positives, correct modules |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in s["per_point"]:
        lines.append(
            f"| {r['problem']} | {r['point']} | {r['wrong']} | {r['silent_without_judge']} | "
            f"{r['silent_with_judge']} | {r['false_positives_correct_modules']}/"
            f"{r['correct_cases']} |"
        )
    return "\n".join(lines)


def silent_table(s: dict[str, Any]) -> str:
    """Every wrong case certified PASS: module, bug, value vs truth, the evidence it had."""
    lines = [
        "| case | kind of bug | certified vs truth | evidence behind the PASS |",
        "|---|---|---|---|",
    ]
    for d in s.get("silent_details", []):
        pairs = []
        for name, truth in d["truth"].items():
            got = (d["certified"] or {}).get(name)
            want = truth.get("value")
            if got is not None and want is not None:
                pairs.append(f"{name} {got:.6g} vs {want:.6g}")
        evidence = "; ".join(
            f"{k}: {', '.join(v) or 'convergence study only'}" for k, v in d["evidence"].items()
        )
        lines.append(f"| {d['case']} | {d['kind']} | {'; '.join(pairs)} | {evidence} |")
    return "\n".join(lines)


def problem_table(s: dict[str, Any]) -> str:
    head = (
        "| problem | bugs | benign | wrong cases | silent, no Judge | silent, Judge | "
        "right answers flagged (correct/benign modules) | physverify caught |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in s["per_problem"]:
        lines.append(
            f"| {r['problem']} | {r['bugs']} | {r['benign']} | {r['wrong']} | "
            f"{r['silent_without_judge']} | {r['silent_with_judge']} | {r['false_positives']} | "
            f"{r['physverify_caught']}/{r['physverify_applicable']} |"
        )
    return "\n".join(lines)


def kind_table(s: dict[str, Any]) -> str:
    lines = [
        "| kind of bug | modules | wrong cases | silent, no Judge | silent, Judge "
        "| physverify caught |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in s["per_kind"]:
        lines.append(
            f"| {r['kind']} | {r['modules']} | {r['wrong']} | {r['silent_without_judge']} | "
            f"{r['silent_with_judge']} | {r['physverify_caught']} |"
        )
    return "\n".join(lines)


def evidence_table(s: dict[str, Any]) -> str:
    lines = ["| evidence (any) | wrong cases it flagged |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in s["caught_by"].items()]
    return "\n".join(lines)


def corpus_table(variants: list[Any], benign: list[str]) -> str:
    """Every module of the corpus: problem, file, kind and what it does."""
    lines = ["| problem | module | kind | what it does |", "|---|---|---|---|"]
    for v in variants:
        label = f"`{v.name}`" + (" (benign)" if v.label in benign else "")
        summary = v.summary.replace("|", "\\|")
        lines.append(f"| {v.problem} | {label} | {v.kind} | {summary} |")
    return "\n".join(lines)


def plot(s: dict[str, Any], path: str | Path) -> Path:
    """Bar chart: silent-failure rate without / with the Judge, and physverify's miss rate."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pv = s["physverify"]
    labels = ["no Judge\n(finite = accepted)", "physverify\n(where it applies)", "full pipeline"]
    miss = pv["silent"] / pv["applicable_wrong_cases"] if pv["applicable_wrong_cases"] else 0.0
    values = [
        100 * (s["silent_rate_without_judge"] or 0.0),
        100 * miss,
        100 * (s["silent_rate_with_judge"] or 0.0),
    ]
    fig, ax = plt.subplots(figsize=(6.0, 3.2), dpi=120)
    bars = ax.bar(labels, values, color=["#c0392b", "#e67e22", "#27ae60"])
    for bar, value in zip(bars, values, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value + 1, f"{value:.1f} %", ha="center")
    ax.set_ylabel("silent failures (% of wrong cases)")
    ax.set_ylim(0, max(values) * 1.2 + 5)
    ax.set_title(f"{s['variants']} seeded bugs, {s['wrong_cases']} wrong cases")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out
