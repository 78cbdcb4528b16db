"""Hostile input through `metanorm`: each case is named with file and line, is handled by
`--on-error` (fail, skip, quarantine), and never takes down the run.

Every case is line 2 of a three-line file between two good records, so the tests also see
that the records around a bad line come out (skip, quarantine) or stop cleanly (fail).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from unittest import mock

import pytest

from normalize import cli
from normalize.normalizer import Normalizer

REPO = Path(__file__).resolve().parents[1]
GOOD = json.dumps({"id": "g", "title": "Bridge", "text": "The bridge reopened."}).encode()


@cache
def normalizer() -> Normalizer:
    return Normalizer()


def run_cli(argv: list[str]) -> tuple[int, str]:
    """`metanorm ARGV` in this process (one Normalizer shared by the tests), stderr captured."""
    err = io.StringIO()
    with (
        mock.patch.object(cli.common, "build_normalizer", lambda args, audit=False: normalizer()),
        contextlib.redirect_stderr(err),
    ):
        code = cli.main(argv)
    return code, err.getvalue()


def _nested(depth: int) -> bytes:
    return b'{"text": "x", "extra": ' + b"[" * depth + b"]" * depth + b"}"


# Lines that are records: normalized, nothing reported.
RECORD_LINES = {
    "lone surrogate escapes": b'{"text": "a\\ud800b", "title": "\\udfff", "\\ud834": "\\udd1e"}',
    "number where text is expected": b'{"title": 42, "text": 3.5, "date": 20220128, "lang": 7}',
    "list where text is expected": b'{"title": ["a", "b"], "text": [1, [2]], "url": ["x"]}',
    "object where text is expected": b'{"title": {"en": "a"}, "text": {"p": [1]}, "date": {}}',
    "null where text is expected": b'{"title": null, "text": null, "date": null, "place": null}',
    "bool where text is expected": b'{"title": true, "text": false, "lang": true, "id": false}',
    "NUL escape in text": b'{"title": "a\\u0000b", "text": "x\\u0000\\u0000y"}',
    "mostly control characters": json.dumps(
        {"title": "\x07\x08\x1b[31m", "text": "".join(map(chr, range(32))) * 40 + "ok"}
    ).encode(),
    "nested 500 deep": _nested(500),
    "empty object": b"{}",
}

# Lines that are not records: reported with file and line, handled by --on-error.
BAD_LINES = {
    "invalid JSON": (b'{"title": "x",', "invalid JSON"),
    "not an object (list)": (b"[1, 2, 3]", "must be a JSON object"),
    "not an object (string)": (b'"text"', "must be a JSON object"),
    "not an object (null)": (b"null", "must be a JSON object"),
    "invalid UTF-8": (b'{"text": "caf\xe9 \xff\xfe"}', "invalid UTF-8"),
    "raw NUL byte": (b'{"text": "a\x00b"}', "invalid JSON"),
    "nested 100000 deep": (_nested(100_000), "nested too deeply"),
    "BOM in the middle of a file": (b"\xef\xbb\xbf" + GOOD, "BOM"),
}


def _file(tmp_path: Path, middle: bytes, *, newline: bytes = b"\n", final: bool = True) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_bytes(GOOD + newline + middle + newline + GOOD + (newline if final else b""))
    return path


def _outputs(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


@pytest.mark.parametrize("name", sorted(RECORD_LINES))
def test_hostile_record_is_normalized_not_reported(tmp_path, name):
    source = _file(tmp_path, RECORD_LINES[name])
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert code == cli.EXIT_OK, err
    assert err == ""
    records = _outputs(out)
    assert len(records) == 3
    line = out.read_bytes().splitlines()[1]
    line.decode("utf-8")  # valid UTF-8, even with lone surrogates (they stay \\u escapes)
    again = normalizer().normalize(json.loads(line))
    assert json.loads(line) == json.loads(json.dumps(again))  # idempotent


def test_lone_surrogates_are_kept_in_meta_as_escapes(tmp_path):
    source = _file(tmp_path, RECORD_LINES["lone surrogate escapes"])
    out = tmp_path / "out.jsonl"
    assert run_cli([str(source), "-o", str(out)])[0] == cli.EXIT_OK
    middle = out.read_bytes().splitlines()[1]
    assert b"\\ud834" in middle  # the unmapped key survives, escaped
    assert json.loads(middle)["meta"] == {"\ud834": "\udd1e"}


def test_text_that_is_mostly_control_characters_keeps_its_words(tmp_path):
    source = _file(tmp_path, RECORD_LINES["mostly control characters"])
    out = tmp_path / "out.jsonl"
    assert run_cli([str(source), "-o", str(out)])[0] == cli.EXIT_OK
    assert _outputs(out)[1]["text"].endswith("ok")


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_bad_line_under_fail_stops_with_file_and_line(tmp_path, name):
    line, reason = BAD_LINES[name]
    source = _file(tmp_path, line)
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert code == cli.EXIT_BAD_INPUT
    assert err.startswith(f"{source}:2: ")
    assert reason in err
    assert len(err.splitlines()) == 1  # a message, not a traceback
    assert [r["id"] for r in _outputs(out)] == ["g"]


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_bad_line_under_skip_is_reported_and_the_run_goes_on(tmp_path, name):
    line, reason = BAD_LINES[name]
    source = _file(tmp_path, line)
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out), "--on-error", "skip"])
    assert code == cli.EXIT_OK
    assert err.startswith(f"{source}:2: ") and reason in err and "(skipped)" in err
    assert [r["id"] for r in _outputs(out)] == ["g", "g"]


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_bad_line_under_quarantine_is_copied_as_it_was(tmp_path, name):
    line, reason = BAD_LINES[name]
    source = _file(tmp_path, line)
    out, held = tmp_path / "out.jsonl", tmp_path / "held.jsonl"
    code, err = run_cli(
        [str(source), "-o", str(out), "--on-error", "quarantine", "--quarantine", str(held)]
    )
    assert code == cli.EXIT_OK
    assert err.startswith(f"{source}:2: ") and reason in err and "(quarantined)" in err
    assert held.read_bytes() == line + b"\n"
    assert len(_outputs(out)) == 2


def test_bom_at_the_start_of_the_file_is_dropped(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + GOOD + b"\n" + GOOD + b"\n")
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert (code, err) == (cli.EXIT_OK, "")
    assert [r["title"] for r in _outputs(out)] == ["Bridge", "Bridge"]


def test_crlf_blank_lines_and_no_final_newline(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\r\n" + GOOD + b"\r\n  \r\n\r\n" + GOOD + b"\r\n\t\r\n" + GOOD)
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert (code, err) == (cli.EXIT_OK, "")
    records = _outputs(out)
    assert len(records) == 3
    assert all(r["text"] == "The bridge reopened." for r in records)
    assert b"\r" not in out.read_bytes()


def test_line_numbers_count_blank_and_crlf_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(GOOD + b"\r\n\r\n \r\n{bad\r\n" + GOOD)
    code, err = run_cli([str(source), "-o", str(tmp_path / "out.jsonl"), "--on-error", "skip"])
    assert code == cli.EXIT_OK
    assert err.startswith(f"{source}:4: invalid JSON")


def test_a_50_mb_line_is_read_and_written_whole(tmp_path):
    """A 50 MB line (its bulk in an unmapped field, which no stage reads) goes through."""
    blob = "Kiev Киев \u00e9\U0001f600 " * (50_000_000 // 20)
    line = json.dumps({"title": "Big", "text": "Kiev is a city.", "blob": blob}).encode()
    assert len(line) > 50_000_000
    source = _file(tmp_path, line)
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert (code, err) == (cli.EXIT_OK, "")
    big = out.read_bytes().splitlines()[1]
    assert json.loads(big)["meta"]["blob"] == blob


def test_a_1_mb_text_is_normalized(tmp_path):
    text = "Kiev is a city. Привет.\n" * (1_000_000 // 24)
    source = _file(tmp_path, json.dumps({"lang": "en", "text": text}).encode())
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert (code, err) == (cli.EXIT_OK, "")
    assert _outputs(out)[1]["text"].startswith("Kyiv is a city.")


@pytest.mark.skipif(
    os.environ.get("METANORM_SLOW_TESTS") != "1", reason="about 2 minutes; METANORM_SLOW_TESTS=1"
)
def test_a_50_mb_text_is_normalized(tmp_path):
    text = "Kiev is a city. Привет.\n" * (50_000_000 // 24)
    source = _file(tmp_path, json.dumps({"lang": "en", "text": text}).encode())
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out)])
    assert (code, err) == (cli.EXIT_OK, "")
    assert len(_outputs(out)) == 3


# --- numbers that are not JSON ---------------------------------------------------------------


@pytest.mark.parametrize("mode", ["fail", "skip"])
def test_integer_with_more_than_4300_digits_is_kept_exactly(tmp_path, mode):
    """Too long for Python's int: kept as its text and written back as it was (issue 14)."""
    source = _file(tmp_path, b'{"id": ' + b"7" * 5000 + b', "n": ' + b"8" * 5000 + b"}")
    out = tmp_path / "out.jsonl"
    code, _err = run_cli([str(source), "-o", str(out), "--on-error", mode])
    assert code == cli.EXIT_OK
    assert (
        b'"n":' + b"8" * 5000 in out.read_bytes() and b'"' + b"7" * 5000 + b'"' in out.read_bytes()
    )


def test_nan_and_infinity_are_not_json(tmp_path):
    source = _file(tmp_path, b'{"title": "x", "score": NaN, "rank": -Infinity}')
    out = tmp_path / "out.jsonl"
    code, err = run_cli([str(source), "-o", str(out), "--on-error", "skip"])
    assert code == cli.EXIT_OK
    assert err.startswith(f"{source}:2: ")
    for line in out.read_bytes().splitlines():
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in output"))


# --- once through a real process --------------------------------------------------------------


def test_every_hostile_line_in_one_file_through_the_installed_command(tmp_path):
    """One file with every case, run as `python -m normalize --on-error quarantine`."""
    lines = [GOOD, *RECORD_LINES.values(), *(line for line, _ in BAD_LINES.values()), GOOD]
    source = tmp_path / "all.jsonl"
    source.write_bytes(b"\n".join(lines))  # no final newline either
    out, held = tmp_path / "out.jsonl", tmp_path / "held.jsonl"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    quarantine = ["--on-error", "quarantine", "--quarantine", str(held)]
    proc = subprocess.run(
        [sys.executable, "-m", "normalize", str(source), "-o", str(out), *quarantine],
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == cli.EXIT_OK, err
    assert "Traceback" not in err
    reported = [line.split(":")[1] for line in err.splitlines()]
    first_bad = 2 + len(RECORD_LINES)
    assert reported == [str(n) for n in range(first_bad, first_bad + len(BAD_LINES))]
    assert len(out.read_bytes().splitlines()) == 2 + len(RECORD_LINES)
    assert held.read_bytes().splitlines() == [line for line, _ in BAD_LINES.values()]
