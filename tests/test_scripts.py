"""`dominant_script`'s byte shortcut must agree with counting every script's letters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.scripts import dominant_by_counting, dominant_script

_ALPHABET = (
    "abcxyzÀÉßñøżšŁ×÷ абвгдеёжзиклмнопрстуфхцчшщыьэюяіїєґў АБВЁЇ αβγΩά ԱբՔ אבג عربية "
    "ქართ 日本語かな 한국어 0123456789 .,;:!?«»—–…\n\t"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=200), st.sampled_from([0.0, 0.5, 0.6, 0.9, 1.0]))
def test_shortcut_equals_counting(text: str, min_share: float) -> None:
    assert dominant_script(text, min_share) == dominant_by_counting(text, min_share)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.sampled_from([0.0, 0.6]))
def test_shortcut_equals_counting_on_any_text(text: str, min_share: float) -> None:
    assert dominant_script(text, min_share) == dominant_by_counting(text, min_share)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=200), st.sampled_from([0.0, 0.6, 0.9]))
def test_a_large_text_counted_in_pieces_gives_the_same(text: str, min_share: float) -> None:
    """A text over `_PIECE` characters is counted a piece at a time (no whole copies)."""
    from normalize import scripts

    whole = (scripts.script_counts(text), dominant_script(text, min_share))
    scripts._PIECE = 7
    try:
        pieces = (scripts.script_counts(text), dominant_script(text, min_share))
    finally:
        scripts._PIECE = 1 << 16
    assert pieces == whole
