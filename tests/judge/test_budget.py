"""Budgets: free memory of this machine, parsing of memory and time limits."""

from __future__ import annotations

import pytest

from simlab.errors import JudgeError
from simlab.judge.budget import available_memory, default_budget, parse_memory, parse_time


def test_parse_memory_and_time() -> None:
    assert parse_memory("2GB") == pytest.approx(2e9)
    assert parse_memory("512 MiB") == pytest.approx(512 * 2**20)
    assert parse_memory(1000) == 1000
    assert parse_time("600") == 600
    assert parse_time("10 min") == pytest.approx(600)
    assert parse_time("1 h") == pytest.approx(3600)


@pytest.mark.parametrize("bad", ["lots", "-1GB", "0", "2 m"])
def test_bad_budgets_are_judge_errors(bad: str) -> None:
    with pytest.raises(JudgeError):
        parse_memory(bad)


def test_default_budget_reads_free_memory() -> None:
    memory, source = available_memory()
    assert memory > 0 and source
    b = default_budget()
    assert b.memory_bytes > 0 and b.time_seconds == 600
    assert default_budget("1GB", "5").memory_bytes == pytest.approx(1e9)
