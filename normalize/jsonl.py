"""Reading and writing JSONL: files or stdin/stdout, `.gz` both ways, errors with places."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

STDIO = "-"


@dataclass(frozen=True)
class InputLine:
    """One physical input line: a record, or the reason it is not one."""

    path: str
    number: int
    raw: bytes
    record: dict[str, Any] | None
    error: str | None
    note: str | None = None  # something worth a warning, e.g. the line was not UTF-8

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


def open_binary_input(path: str) -> IO[bytes]:
    if path == STDIO:
        return sys.stdin.buffer
    if path.endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


@dataclass(frozen=True, slots=True)
class RawLine:
    """One physical input line, not yet parsed (what travels to worker processes)."""

    path: str
    number: int
    body: bytes
    size: int  # bytes read for it, newline included (for progress)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


class InputFileError(OSError):
    """An input file cannot be read at all (missing, a directory, broken gzip); names it."""


def _numbered(stream: IO[bytes], name: str) -> Iterator[tuple[int, bytes]]:
    number = 0
    while True:
        try:
            raw = stream.readline()
        except (OSError, EOFError) as exc:
            raise InputFileError(f"{name}:{number + 1}: cannot read: {exc}") from exc
        if not raw:
            return
        number += 1
        yield number, raw


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def read_raw_lines(path: str) -> Iterator[RawLine]:
    """Every non-blank line of a JSONL input with its number (a UTF-8 BOM is dropped)."""
    name = display_name(path)
    try:
        stream = open_binary_input(path)
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        for number, raw in _numbered(stream, name):
            size = len(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            body = raw.rstrip(b"\r\n")
            if not body.strip():
                continue
            yield RawLine(name, number, body, size)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_lines(path: str) -> Iterator[InputLine]:
    """Parse a JSONL input, yielding every non-blank line with its number."""
    for line in read_raw_lines(path):
        yield parse_line(line.path, line.number, line.body)


# Legacy Cyrillic code pages a whole file may be written in, tried in this order.
LEGACY_ENCODINGS = ("cp1251", "koi8_r", "koi8_u", "cp866")


def decode_legacy(body: bytes) -> tuple[str, str] | None:
    """Text from a line that is not UTF-8 but reads as Cyrillic in a legacy code page.

    Right reading: nearly all non-ASCII characters are Cyrillic letters, mostly lower case
    (the wrong Cyrillic code page swaps case or gives symbols), and enough of them to tell.
    Anything less is refused as invalid UTF-8.
    """
    best: tuple[float, str, str] | None = None
    for encoding in LEGACY_ENCODINGS:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        high = [c for c in text if ord(c) > 0x7F]
        if not high:
            continue
        letters = [c for c in high if "\u0400" <= c <= "\u04ff"]
        lower = sum(1 for c in letters if c.islower())
        if len(letters) < 8 or len(letters) < 0.9 * len(high) or lower < 0.6 * len(letters):
            continue
        score = lower / len(high)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    return (best[1], best[2]) if best else None


def _refuse_constant(name: str) -> None:
    """`NaN` and `Infinity` are accepted by Python's json but are not JSON."""
    raise ValueError(f"{name} is not a JSON value")


def parse_line(name: str, number: int, body: bytes) -> InputLine:
    note = None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        legacy = decode_legacy(body)
        if legacy is None:
            reason = f"invalid UTF-8 at byte {exc.start + 1}"
            return InputLine(name, number, body, None, reason)
        text, encoding = legacy
        note = f"not UTF-8: read as {encoding}"
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return InputLine(name, number, body, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return InputLine(name, number, body, None, "invalid JSON: nested too deeply")
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        return InputLine(name, number, body, None, f"invalid JSON: {exc}")
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "null"
        return InputLine(name, number, body, None, f"a record must be a JSON object, not {kind}")
    return InputLine(name, number, body, value, None, note)


@contextmanager
def open_output(path: str | None) -> Iterator[IO[bytes]]:
    """stdout, a file, or a `.gz` file, written as bytes."""
    if path in (None, STDIO):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    raw: IO[bytes]
    raw = cast(IO[bytes], gzip.open(target, "wb")) if target.suffix == ".gz" else open(target, "wb")  # noqa: SIM115
    try:
        yield raw
    finally:
        raw.close()
