"""Reading and writing JSONL: files or stdin/stdout, `.gz` both ways, errors with places."""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

STDIO = "-"


@dataclass(frozen=True)
class InputLine:
    """One physical input line: a record, or the reason it is not one."""

    path: str
    number: int
    raw: bytes
    record: dict[str, Any] | None
    error: str | None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


def open_binary_input(path: str) -> IO[bytes]:
    if path == STDIO:
        return sys.stdin.buffer
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
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


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def read_raw_lines(path: str) -> Iterator[RawLine]:
    """Every non-blank line of a JSONL input with its number (a UTF-8 BOM is dropped)."""
    name = display_name(path)
    stream = open_binary_input(path)
    try:
        for number, raw in enumerate(stream, start=1):
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


def parse_line(name: str, number: int, body: bytes) -> InputLine:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"invalid UTF-8 at byte {exc.start + 1}"
        return InputLine(name, number, body, None, reason)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputLine(name, number, body, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return InputLine(name, number, body, None, "invalid JSON: nested too deeply")
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "null"
        return InputLine(name, number, body, None, f"a record must be a JSON object, not {kind}")
    return InputLine(name, number, body, value, None)


@contextmanager
def open_output(path: str | None) -> Iterator[IO[bytes]]:
    """stdout, a file, or a `.gz` file, written as bytes."""
    if path in (None, STDIO):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    raw: IO[bytes]
    raw = gzip.open(target, "wb") if target.suffix == ".gz" else open(target, "wb")  # noqa: SIM115
    try:
        yield raw
    finally:
        raw.close()


def text_writer(stream: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
