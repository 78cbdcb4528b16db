"""Large fields: the size limit (`--max-field-bytes`, `input.too_large`) and memory that
stays flat per character of input (measured with tracemalloc, never timed)."""

from __future__ import annotations

import itertools
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.cli import main
from normalize.limits import InputTooLarge, check_fields, parse_size, utf8_size
from normalize.normalizer import Normalizer


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "size"),
    [("64M", 64 * 2**20), ("512k", 512 * 1024), ("1G", 2**30), ("1.5MB", 1572864), ("900", 900)],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_parse_size_refuses_nonsense():
    with pytest.raises(ValueError, match="not a size"):
        parse_size("lots")


@given(st.text())
def test_utf8_size_is_the_encoded_length(text):
    assert utf8_size(text) == len(text.encode("utf-8", "surrogatepass"))


def test_library_raises_a_clear_error_naming_the_field():
    normalizer = Normalizer(max_field_bytes=1000)
    with pytest.raises(InputTooLarge, match=r"field 'text' holds 2,000 bytes, over the 1,000"):
        normalizer.normalize({"title": "t", "text": "x" * 2000})
    with pytest.raises(InputTooLarge, match="field 'extra'"):  # nested values are summed
        normalizer.normalize({"title": "t", "extra": {"a": ["я" * 300, "я" * 300]}})
    assert normalizer.normalize({"title": "t", "text": "x" * 900})["text"] == "x" * 900
    unlimited = Normalizer(max_field_bytes=None)
    assert len(unlimited.normalize({"text": "word " * 1000})["text"]) == 4999


def test_check_fields_counts_bytes_not_characters():
    check_fields({"text": "я" * 500}, 1000)  # 1,000 bytes: at the limit, not over
    with pytest.raises(InputTooLarge):
        check_fields({"text": "я" * 501}, 1000)


def test_cli_reports_too_large_and_on_error_decides(tmp_path, capsys):
    data = _jsonl(
        tmp_path / "in.jsonl",
        [{"title": "small"}, {"title": "big", "text": "x" * 5000}, {"title": "after"}],
    )
    assert main(["--max-field-bytes", "4K", str(data)]) == 3
    err = capsys.readouterr().err
    assert f"{data}:2: input.too_large: field 'text' holds 5,000 bytes" in err
    quarantine = tmp_path / "bad.jsonl"
    args = ["--max-field-bytes", "4K", "--on-error", "quarantine", "--quarantine"]
    assert main([*args, str(quarantine), str(data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["title"] for line in out] == ["small", "after"]
    assert json.loads(quarantine.read_text("utf-8"))["title"] == "big"  # nothing lost


def test_a_line_over_twice_the_limit_streams_past_unread(tmp_path, capsys):
    data = _jsonl(tmp_path / "in.jsonl", [{"title": "a"}, {"text": "y" * 50_000}, {"title": "b"}])
    assert main(["--max-field-bytes", "10K", "--on-error", "skip", str(data)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["title"] for line in captured.out.splitlines()] == ["a", "b"]
    assert f"{data}:2: input.too_large: a line of 50,013 bytes" in captured.err


def test_check_reports_too_large_and_keeps_the_line(tmp_path, capsys):
    data = _jsonl(tmp_path / "in.jsonl", [{"title": "big", "text": "x" * 5000}])
    before = data.read_bytes()
    assert main(["fix", "--max-field-bytes", "4K", str(data)]) == 3
    assert data.read_bytes() == before
    captured = capsys.readouterr()
    assert f"{data}:1: input.too_large: field 'text'" in captured.out + captured.err


def _peak_bytes(normalizer: Normalizer, record: dict) -> int:
    tracemalloc.start()
    try:
        normalizer.normalize(record)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _article(lines: int) -> str:
    """Varied lines of the kinds a broken scrape repeats: prose, mojibake, UI, places."""
    kinds = [
        "Городские власти Киева утвердили новый бюджет на общественный транспорт {n}.",
        "Ð“Ð¾Ñ€Ð¾Ð´ÑÐºÐ¸Ðµ Ð²Ð»Ð°ÑÑ‚Ð¸ ÑƒÑ‚Ð²ÐµÑ€Ð´Ð¸Ð»Ð¸ Ð±ÑŽÐ´Ð¶ÐµÑ‚ {n}",
        "Subscribe",
        "The mayor of Kiev met residents of Kharkov on Monday, report {n} said.",
    ]
    return "\n".join(kinds[i % len(kinds)].format(n=i) for i in range(lines))


def test_memory_per_character_stays_flat(tmp_path):
    """Four times the text may cost at most about four times the memory (not more)."""
    normalizer = Normalizer()
    normalizer.normalize({"text": _article(40), "lang": "ru"})  # tables loaded
    small = _article(2_000)
    large = _article(8_000)
    small_peak = _peak_bytes(normalizer, {"text": small})
    large_peak = _peak_bytes(normalizer, {"text": large})
    per_char_small = small_peak / len(small)
    per_char_large = large_peak / len(large)
    assert per_char_large <= 1.25 * per_char_small, (per_char_small, per_char_large)


def _corpus_texts(shared_dir: Path) -> list[str]:
    texts = []
    for path in sorted((shared_dir / "corpus").rglob("*.jsonl")):
        for line in path.read_text("utf-8").split("\n"):
            try:
                row = json.loads(line)
            except ValueError:
                continue
            record = row.get("input", row) if isinstance(row, dict) else None
            if isinstance(record, dict):
                texts += [
                    record[k] for k in ("text", "body", "content") if isinstance(record.get(k), str)
                ]
    return texts


def _mixed_text(texts: list[str], size: int) -> str:
    """Corpus texts one after another (many languages, UI lines, places, dates, mojibake,
    HTML), about `size` characters: the `mixed` kind of bench/large_fields.py."""
    parts, total = [], 0
    for text in itertools.cycle(texts):
        parts.append(text)
        total += len(text) + 1
        if total >= size:
            return "\n".join(parts)
    raise AssertionError("no texts")


def test_memory_per_character_stays_flat_on_mixed_corpus_text(shared_dir):
    """The same on corpus texts joined: four times the text, at most about four times the
    memory (the larger one is over every stage's large-text threshold)."""
    normalizer = Normalizer()
    texts = _corpus_texts(shared_dir)
    normalizer.normalize({"text": _mixed_text(texts, 20_000)})  # tables loaded
    small = _mixed_text(texts, 300_000)
    large = _mixed_text(texts, 1_200_000)
    per_char_small = _peak_bytes(normalizer, {"text": small}) / len(small)
    per_char_large = _peak_bytes(normalizer, {"text": large}) / len(large)
    assert per_char_large <= 1.25 * per_char_small, (per_char_small, per_char_large)


def test_repair_in_chunks_equals_the_whole_field_repair(shared_dir, monkeypatch):
    """Large fields are repaired a chunk of lines at a time; with tiny chunks every corpus
    text comes out as the whole-field repair gives it, with the same rules fired."""
    from normalize.stages import text_repair
    from normalize.work import WorkRecord

    compiled = dict(Normalizer().stages)["text_repair"]
    monkeypatch.setattr(text_repair, "CHUNK", 64)
    texts = _corpus_texts(shared_dir)
    assert len(texts) > 1000
    for text in texts:
        whole = WorkRecord(values={"text": text})
        text_repair._repair_field(whole, "text", compiled)
        chunked = WorkRecord(values={"text": text})
        text_repair._repair_in_chunks(chunked, "text", compiled, text)
        assert (chunked.text("text"), chunked.fired) == (whole.text("text"), whole.fired)


def test_line_chunks_join_back_and_keep_crlf_whole():
    from normalize.stages.text_repair import line_chunks

    text = "first line\r\nsecond\nthird line here\n\nfifth"
    for size in (1, 3, 8, 100):
        chunks = list(line_chunks(text, size))
        assert "\n".join(chunks) == text
        assert not any(chunk.endswith("\r") for chunk in chunks)


_PATTERNS = [
    (r"\bkiev\b", False, True),
    (r"^\w+", False, False),
    (r"(?m)^[^\n]*$", False, False),
    (r"x*", False, False),
    (r"(Ки)(ев)?", True, False),
    (r"\s+(\w)\w*$", False, False),
    (r"\d+(?:\.\d+)?", False, False),
]


def _every_method(rule, text: str, low: int, high: int) -> list:
    found = [
        [rule.match(text, low)],
        [rule.match(text, low, high)],
        [rule.fullmatch(text)],
        [rule.search(text, max(low, 0))],
        list(rule.finditer(text, low, high)),
        list(rule.finditer(text)),
    ]
    return [[(m.span(), m.groups()) for m in matches if m is not None] for matches in found]


@given(
    st.text(alphabet="kiev KIEV Киев\n x1.2😀é\u00a0", max_size=60),
    st.lists(st.integers(-2, 70), min_size=2, max_size=6),
)
def test_encoded_once_matches_as_the_binding_does(text, positions):
    """A large text is encoded once (`re2_large`); every method gives the binding's matches."""
    from normalize import re2_large
    from normalize.regex_safety import compile_rule_pattern

    low, high = sorted(positions[:2])
    for pattern, ignore_case, ascii_boundaries in _PATTERNS:
        rule = compile_rule_pattern(pattern, ignore_case, ascii_boundaries)
        re2_large.LARGE = 10**9  # the binding's own way
        expected = _every_method(rule, text, low, high)
        re2_large.LARGE, re2_large.STEP, re2_large.AFTER_CALLS = 0, 3, 2  # all "large"
        try:
            got = _every_method(rule, text, low, high)
        finally:
            re2_large.LARGE, re2_large.STEP, re2_large.AFTER_CALLS = 1 << 16, 1024, 8
            re2_large.forget()
        assert got == expected, pattern


@given(st.text(alphabet="ΣσςAbΟΔΥΣΣΕΑ'.· \n\u0345\u0301İЯя", max_size=80), st.integers(1, 9))
def test_lower_in_pieces_is_the_whole_lower(text, piece):
    """Greek sigma's form depends on letters around it: pieces end on a space or a break."""
    from normalize import pieces

    saved = pieces.PIECE
    pieces.PIECE = piece
    try:
        assert pieces.lower(text) == text.lower()
    finally:
        pieces.PIECE = saved
