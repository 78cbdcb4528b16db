"""Property tests (Hypothesis) over the library and the CLI: what the web may throw at us.

Invariants, for random Unicode (every plane, combining marks, RTL, emoji, controls, lone
surrogates), random record shapes and field types, and random mojibake of random text:

- no exception escapes `Normalizer.normalize`;
- idempotence: normalizing the serialized output again gives the same bytes;
- determinism: two Normalizers give the same bytes;
- through `metanorm --on-error skip|quarantine`: records in = records out + bad lines
  reported (and quarantined), in input order.

The default run is bounded and derandomized (the same examples every run, so CI is
deterministic). `METANORM_FUZZ_EXAMPLES=5000` runs more examples with fresh randomness.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from normalize import cli
from normalize.normalizer import Normalizer
from normalize.record import OUTPUT_KEYS, dumps

_EXAMPLES = int(os.environ.get("METANORM_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_EXAMPLES or 120,
    deadline=None,
    derandomize=not _EXAMPLES,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(FUZZ, max_examples=max(_EXAMPLES // 4, 30))


@cache
def normalizer() -> Normalizer:
    return Normalizer()


@cache
def second_normalizer() -> Normalizer:
    return Normalizer()


# --- strategies ----------------------------------------------------------------------------

# Pieces that reach the rules' code paths: place names, dates, UI strings, language names.
WORDS = [
    "Kiev",
    "Kyiv",
    "Киев",
    "Київ",
    "Kiew",
    "Kijów",
    "Kharkov",
    "Chicken Kiev",
    "Kievan Rus",
    "Subscribe",
    "Подписаться",
    "Підписатися",
    "Читать далее",
    "loader",
    "Chats",
    "Newsfeed",
    "- Sputnik International, 1920, 28.01.2022",
    "28.01.2022",
    "2022-01-28",
    "01/02/2022",
    "2022-01-28T14:05:00+03:00",
    "вчера",
    "28 января 2022",
    "January 28, 2022",
    "Jan 2022",
    "English",
    "en_US",
    "eng",
    "Русский",
    "українська",
    "sr-Latn",
    "pt-BR",
    "und",
    "x-klingon",
    "Москва",
    "Moscow",
    "Lviv",
    "Львов",
    "Washington",
    "NATO",
    "https://sputniknews.com/a.html",
    "The bridge reopened on Monday.",
    "Мост открыли в понедельник.",
    "Міст відкрили.",
    "Ð¡Ð¿ÑƒÑ‚Ð½Ð¸Ðº",
    "â€œquotedâ€\x9d",
    "&amp;",
    "&lt;b&gt;",
    "<p>",
    "\u00a0",
    "...",
]
SPECIAL = (
    "\u0000\u0007\u0008\u000b\u000c\u001b\u007f\u0085\u0080\u009f"  # controls, C1
    "\r\n\t\u2028\u2029\u00a0\u200b\u200c\u200d\u2060\ufeff\ufffd\ufffe\uffff"  # breaks, zw
    "\u0301\u0308\u0327\u20dd\u0489\u1ab0"  # combining marks
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069"  # bidi controls
    "\u05d0\u05e9\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u0710"  # Hebrew, Arabic, Syriac
    "\U0001f600\U0001f1fa\U0001f1e6\U0001f3f3\ufe0f\U0001f468\U0001f3fb\U000e0067"  # emoji
    "\U00020000\U0010ffff\U000f0000\U0001d11e"  # astral planes, private use
    "ﬁﬂＡｂｃ"  # ligatures, full width
    "Ѐ-ӿ"  # Cyrillic
)

# Every code point, lone surrogates included (JSON's "\ud800" escapes produce them).
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
text_piece = st.one_of(
    st.text(any_char, max_size=12),
    st.text(st.sampled_from(SPECIAL), max_size=12),
    st.sampled_from(WORDS),
    st.text(st.characters(min_codepoint=0x400, max_codepoint=0x4FF), min_size=1, max_size=20),
    st.sampled_from([" ", "\n", "\n\n", " \n ", ", ", ". "]),
)
texts = st.lists(text_piece, max_size=16).map("".join)
# A long text: a random piece repeated, up to HUGE characters (cheap to generate).
HUGE = 60_000
huge_texts = st.builds(
    lambda piece, times: (piece * times)[:HUGE], texts.filter(bool), st.integers(100, 5000)
)


def _mojibake(text: str, encoding: str, rounds: int) -> str:
    for _ in range(rounds):
        text = text.encode("utf-8", "surrogatepass").decode(encoding, "replace")
    return text


MOJIBAKE_CODECS = ["cp1252", "latin-1", "cp1251", "koi8_r", "cp866", "mac_cyrillic", "cp1250"]
mojibake_texts = st.builds(
    _mojibake,
    texts,
    st.sampled_from(MOJIBAKE_CODECS),
    st.integers(1, 2),
)
any_text = st.one_of(texts, mojibake_texts)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)
    ),
    max_leaves=12,
)
# A value that is too deep for naive recursion but still parseable by `json`.
deep_values = st.integers(10, 400).map(lambda depth: _nest(depth))


def _nest(depth: int) -> Any:
    value: Any = "x"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


ALIASES = {
    "id": ["id", "guid", "uuid", "_id", "ID"],
    "url": ["url", "link", "href", "canonical_url", "uri", "URL"],
    "source": ["source", "site", "publisher", "site_name"],
    "language": ["language", "lang", "locale", "inLanguage", "LANG"],
    "published": ["published", "date", "pubDate", "published_at", "datePublished", "created"],
    "title": ["title", "headline", "Title"],
    "text": ["text", "body", "content", "article"],
    "places": ["places", "place", "location", "dateline"],
}
field_value = st.one_of(any_text, json_values, deep_values)
place_value = st.one_of(
    field_value,
    st.lists(st.one_of(st.sampled_from(WORDS), field_value), max_size=4),
    st.lists(
        st.fixed_dictionaries(
            {"name": any_text},
            optional={"country": st.one_of(texts, json_scalars), "geonames_id": json_scalars},
        ),
        max_size=3,
    ),
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record of random shape: some canonical fields under some alias, any types, meta."""
    record: dict[str, Any] = {}
    for name, aliases in ALIASES.items():
        if draw(st.booleans()):
            key = draw(st.sampled_from(aliases))
            if name in ("title", "text"):
                value = draw(st.one_of(any_text, any_text, field_value))
            elif name == "places":
                value = draw(place_value)
            elif name in ("published", "language", "source", "url"):
                value = draw(st.one_of(st.sampled_from(WORDS), texts, field_value))
            else:
                value = draw(field_value)
            record[key] = value
    for key, value in draw(st.dictionaries(texts, field_value, max_size=3)).items():
        record.setdefault(key, value)
    if draw(st.integers(0, 9)) == 0:  # sometimes a record that claims the canonical shape
        record["normalization"] = draw(
            st.one_of(
                json_values,
                st.fixed_dictionaries(
                    {},
                    optional={
                        "fired": st.lists(st.one_of(texts, json_scalars), max_size=3),
                        "warnings": st.lists(json_values, max_size=2),
                        "version": json_scalars,
                    },
                ),
            )
        )
        record.setdefault("meta", draw(st.one_of(json_values, st.dictionaries(texts, texts))))
    return record


def _json_safe(value: Any) -> bool:
    """Whether the record survives a JSON round trip as itself (the CLI's input)."""
    try:
        line = json.dumps(value, ensure_ascii=True)
        return json.loads(line) == value
    except (ValueError, RecursionError):
        return False


# --- library invariants --------------------------------------------------------------------


@FUZZ
@given(records())
def test_no_exception_escapes_and_output_has_the_contract_shape(record):
    out = normalizer().normalize(record)
    assert tuple(out) == OUTPUT_KEYS
    assert isinstance(out["places"], list)
    assert isinstance(out["meta"], dict)
    assert out["id"] is None or isinstance(out["id"], str)
    assert isinstance(out["normalization"]["fired"], list)
    line = dumps(out)
    line.encode("utf-8")  # always valid UTF-8 (lone surrogates are escaped)
    assert "\n" not in line and "\r" not in line  # one record, one line


def idempotence_failure(record: dict[str, Any]) -> str | None:
    """The twice-normalized line when it differs from the once-normalized one."""
    first = dumps(normalizer().normalize(record))
    again = dumps(normalizer().normalize(json.loads(first)))
    return None if again == first else again


@FUZZ
@given(records())
def test_idempotent_serialized_output_normalizes_to_the_same_bytes(record):
    assert idempotence_failure(record) is None


@FUZZ
@given(
    st.dictionaries(st.sampled_from(["title", "text", "headline", "body"]), any_text),
    st.sampled_from(["en", "ru", "uk", "English", "Русский", "uk_UA", "pt-BR", "sr-Latn", None]),
)
def test_idempotent_on_text_fields(record, language):
    if language is not None:
        record["lang"] = language
    assert idempotence_failure(record) is None


@FUZZ
@given(records())
def test_deterministic_two_normalizers_same_bytes(record):
    assert dumps(normalizer().normalize(record)) == dumps(second_normalizer().normalize(record))


@FUZZ
@given(st.sampled_from(["title", "text"]), texts, st.sampled_from(MOJIBAKE_CODECS))
def test_mojibake_of_random_text_never_crashes_and_is_stable(field, text, encoding):
    broken = _mojibake(text, encoding, 1)
    out = normalizer().normalize({field: broken, "lang": "ru"})
    line = dumps(out)
    assert dumps(normalizer().normalize(json.loads(line))) == line


@FUZZ
@given(
    st.sampled_from(["title", "text"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30),
)
def test_mojibake_of_plain_cyrillic_is_repaired(field, noise):
    """Mojibake of real words comes back as the words (ftfy and the legacy code pages)."""
    clean = "Киев и Харьков — крупные города Украины. " + noise
    broken = _mojibake(clean, "cp1252", 1)
    out = normalizer().normalize({field: broken})
    assert "Украины" in out[field]


@FEW
@given(st.sampled_from(["title", "text", "body", "place", "date", "lang"]), huge_texts, records())
def test_huge_strings_anywhere(field, text, record):
    record[field] = text
    first = dumps(normalizer().normalize(record))
    assert dumps(normalizer().normalize(json.loads(first))) == first


@FEW
@given(st.lists(st.sampled_from(["title", "text", "date", "lang", "place", "url", "x"])), st.data())
def test_library_accepts_any_json_value_in_any_field(keys, data):
    record = {key: data.draw(st.one_of(json_values, deep_values)) for key in keys}
    out = normalizer().normalize(record)
    assert dumps(normalizer().normalize(json.loads(dumps(out)))) == dumps(out)


# --- the CLI: records in = records out + bad lines ------------------------------------------

BAD_LINES = [
    b"{not json",
    b"[1, 2, 3]",
    b'"just a string"',
    b"null",
    b"42",
    b'{"text": "\xff\xfe invalid utf-8"}',
    b'{"text": "raw \x00 nul"}',
    b'{"text": "truncated',
    b"\xef\xbb\xbf{}",  # a BOM that is not at the start of the file
    b"{" * 5000,
    b"[" * 100_000 + b"]" * 100_000,
]


@st.composite
def jsonl_lines(draw: st.DrawFn) -> tuple[list[bytes], list[bool]]:
    """Physical lines (without line ends) and, for each, whether it holds a good record."""
    lines: list[bytes] = []
    good: list[bool] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 5))
        if kind <= 2:
            record = draw(records())
            assume(_json_safe(record))
            lines.append(
                json.dumps(record, ensure_ascii=draw(st.booleans())).encode(
                    "utf-8", "surrogatepass"
                )
            )
            try:
                lines[-1].decode("utf-8")
            except UnicodeDecodeError:  # a raw lone surrogate: write it as an escape
                lines[-1] = json.dumps(record).encode("ascii")
            good.append(True)
        elif kind == 3:
            lines.append(draw(st.sampled_from(["", "  ", "\t"])).encode())
            good.append(False)
        else:
            lines.append(draw(st.sampled_from(BAD_LINES)))
            good.append(False)
    return lines, good


@contextlib.contextmanager
def cached_normalizer() -> Iterator[None]:
    """The CLI builds a Normalizer per run; reuse one so that examples stay fast."""
    with mock.patch.object(cli.common, "build_normalizer", lambda args, audit=False: normalizer()):
        yield


def run_cli(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with cached_normalizer(), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, err.getvalue()


@FEW
@given(jsonl_lines(), st.sampled_from([b"\n", b"\r\n"]), st.booleans(), st.booleans())
def test_cli_records_in_equal_records_out_plus_bad_lines(
    tmp_path_factory, data, newline, final_newline, quarantine
):
    lines, good = data
    if lines[0].startswith(b"\xef\xbb\xbf"):
        good[0] = True  # a BOM at the very start of the file is dropped, not an error
    folder = tmp_path_factory.mktemp("cli")
    source = folder / "in.jsonl"
    body = newline.join(lines) + (newline if final_newline else b"")
    source.write_bytes(body)
    out, held = folder / "out.jsonl", folder / "bad.jsonl"
    argv = [str(source), "-o", str(out), "--on-error", "skip"]
    if quarantine:
        argv[-1:] = ["quarantine", "--quarantine", str(held)]
    code, err = run_cli(argv)
    assert code == cli.EXIT_OK, err
    outputs = out.read_bytes().splitlines()
    blank = [not line.strip() for line in lines]
    reported = [int(m) for m in re.findall(rf"^{re.escape(str(source))}:(\d+): ", err, re.M)]
    expected_bad = [
        n for n, (ok, b) in enumerate(zip(good, blank, strict=True), 1) if not ok and not b
    ]
    assert reported == expected_bad, err
    assert len(outputs) == sum(good)
    assert len(outputs) + len(reported) == sum(1 for b in blank if not b)
    for output in outputs:
        assert tuple(json.loads(output)) == OUTPUT_KEYS
    if quarantine:
        assert held.read_bytes().splitlines() == [lines[n - 1].rstrip(b"\r") for n in expected_bad]
    # ids and order are kept: the good input lines map one to one, in order
    expected_ids = [
        normalizer().normalize(json.loads(line))["id"]
        for line, ok in zip(lines, good, strict=True)
        if ok
    ]
    assert [json.loads(o)["id"] for o in outputs] == expected_ids


# --- regressions found by these tests ---------------------------------------------------------


def test_regression_detected_tl_is_written_as_fil():
    """langdetect's `tl` profile: the tag must be the one `tl` resolves to when declared."""
    out = normalizer().normalize({"title": "A0mg"})
    first = dumps(out)
    assert out["language"] != "tl"
    assert dumps(normalizer().normalize(json.loads(first))) == first


def test_regression_mojibake_under_line_breaks_is_repaired_to_a_fixpoint():
    """ftfy fixes one layer, then `\r`/U+0085 become line ends: the next pass fixes more."""
    record = {"text": "aÃ†€\r\x85"}
    first = dumps(normalizer().normalize(record))
    assert json.loads(first)["text"] == "aƀ\n…"
    assert dumps(normalizer().normalize(json.loads(first))) == first


def test_regression_huge_integer_date_is_unparsed_not_a_crash():
    out = normalizer().normalize({"date": 10**400, "title": "x"})
    assert out["published"] == 10**400
    assert "date.unparsed" in [w["code"] for w in out["normalization"]["warnings"]]


@pytest.mark.parametrize("title", ["Mayor of Kiev", "Kiev Washington"])
def test_idempotent_when_the_language_is_only_detected(title):
    first = dumps(normalizer().normalize({"title": title}))
    assert dumps(normalizer().normalize(json.loads(first))) == first
