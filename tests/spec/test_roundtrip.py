"""The renderer is the parser's inverse on every bundled spec."""

from __future__ import annotations

import pytest

from simlab.spec import parse, parse_file, render
from tests.conftest import ALL_SPECS


@pytest.mark.parametrize("path", ALL_SPECS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_parse_render_parse(path) -> None:
    spec = parse_file(path)
    text = render(spec)
    again = parse(text)
    assert again == spec
    assert render(again) == text  # rendering is a fixed point
