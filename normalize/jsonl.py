"""Reading and writing JSONL: files or stdin/stdout, `.gz` both ways, errors with places."""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from normalize.limits import describe

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
    error: str | None = None  # set when the line was refused unread (too long to hold)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.number}"


class InputFileError(OSError):
    """An input file cannot be read at all (missing, a directory, broken gzip); names it."""


def _numbered(
    stream: IO[bytes], name: str, cap: int | None = None
) -> Iterator[tuple[int, bytes, int]]:
    """(number, line, bytes read) for each line; a line over `cap` bytes streams past
    unread and comes back as `b""` with its true size, so that memory stays bounded."""
    number = 0
    while True:
        try:
            raw = stream.readline() if cap is None else stream.readline(cap + 1)
            size = len(raw)
            if cap is not None and size > cap and not raw.endswith(b"\n"):
                raw = b""
                while True:  # the rest of the over-long line, a megabyte at a time
                    rest = stream.readline(1 << 20)
                    size += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
        except (OSError, EOFError) as exc:
            raise InputFileError(f"{name}:{number + 1}: cannot read: {exc}") from exc
        if not size:
            return
        number += 1
        yield number, raw, size


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIO else path


def read_raw_lines(path: str, max_line_bytes: int | None = None) -> Iterator[RawLine]:
    """Every non-blank line of a JSONL input with its number (a UTF-8 BOM is dropped);
    a line over `max_line_bytes` comes with an `input.too_large` error instead of its body."""
    name = display_name(path)
    try:
        stream = open_binary_input(path)
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        for number, raw, size in _numbered(stream, name, max_line_bytes):
            if not raw:
                reason = (
                    f"input.too_large: a line of {describe(size)}, over "
                    f"{describe(max_line_bytes or 0)} (twice --max-field-bytes), not read"
                )
                yield RawLine(name, number, b"", size, reason)
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            body = raw.rstrip(b"\r\n")
            if not body.strip():
                continue
            yield RawLine(name, number, body, size)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_lines(path: str, max_line_bytes: int | None = None) -> Iterator[InputLine]:
    """Parse a JSONL input, yielding every non-blank line with its number."""
    for line in read_raw_lines(path, max_line_bytes):
        if line.error:
            yield InputLine(line.path, line.number, line.body, None, line.error)
        else:
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


class JSONNumber:
    """A number kept as the text it was read from, so that it is written back exactly.

    Used where a Python number would change it: `1e999` (a float overflows to infinity,
    which is not JSON), `1.0000000000000000000001` (rounded), `1.50` or `1E5` (spelled
    otherwise), `-0`, an integer too long for `int`. Other numbers stay int and float.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __float__(self) -> float:
        return float(self.text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JSONNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __reduce__(self) -> tuple[type[JSONNumber], tuple[str]]:
        return (JSONNumber, (self.text,))


def _float(text: str) -> float | JSONNumber:
    value = float(text)
    return value if repr(value) == text else JSONNumber(text)


def _int(text: str) -> int | JSONNumber:
    if text == "-0" or len(text) > 4000:  # -0 would be 0; a longer one may not convert
        return JSONNumber(text)
    return int(text)


class DuplicateKey(str):
    """The name an earlier value of a repeated key is kept under (`title (duplicate 1)`)."""

    original: str


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object; a repeated key keeps every value (the last under the key, as JSON
    readers do, the earlier ones under `<key> (duplicate N)`)."""
    plain = dict(pairs)
    if len(plain) == len(pairs):
        return plain
    record: dict[str, Any] = {}
    seen: dict[str, int] = {}
    last = {key: n for n, (key, _) in enumerate(pairs)}
    for n, (key, value) in enumerate(pairs):
        if last[key] == n:
            record[key] = value
            continue
        seen[key] = seen.get(key, 0) + 1
        name = DuplicateKey(f"{key} (duplicate {seen[key]})")
        while name in last or name in record:
            name = DuplicateKey(f"{name} (duplicate {seen[key]})")
        name.original = key
        record[name] = value
    return record


def loads(text: str) -> Any:
    """JSON as the spec reads it: numbers kept exactly, duplicate keys kept, NaN refused."""
    return json.loads(
        text,
        parse_constant=_refuse_constant,
        parse_float=_float,
        parse_int=_int,
        object_pairs_hook=_pairs,
    )


_MARK = "\ufdd0" + os.urandom(6).hex()  # a noncharacter and a nonce: not found in real text


class _HasNumbers(Exception):
    pass


def _no_numbers(value: Any) -> Any:
    if isinstance(value, JSONNumber):
        raise _HasNumbers
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def dumps(value: Any, ensure_ascii: bool = False) -> str:
    """Strict, compact JSON: never NaN or Infinity; JSONNumbers written as their text.

    A non-finite float raises ValueError naming where it is.
    """
    options: dict[str, Any] = {"ensure_ascii": ensure_ascii, "separators": (",", ":")}
    try:
        return json.dumps(value, allow_nan=False, default=_no_numbers, **options)
    except _HasNumbers:
        return _dumps_with_numbers(value, options)
    except ValueError:
        where = not_json(value)
        if where is None:
            raise
        raise ValueError(f"{where} is not a JSON value") from None


def _dumps_with_numbers(value: Any, options: dict[str, Any]) -> str:
    """The rare record with kept numbers: each goes out as a marked string, then its text
    replaces the string."""
    texts: list[str] = []

    def number(item: Any) -> Any:
        if isinstance(item, JSONNumber):
            texts.append(item.text)
            return f"{_MARK}{len(texts) - 1}{_MARK}"
        return _no_numbers(item)

    try:
        line = json.dumps(value, allow_nan=False, default=number, **options)
    except ValueError:
        where = not_json(value)
        raise ValueError(f"{where} is not a JSON value") from None
    mark = json.dumps(_MARK, **options)[1:-1]
    parts = line.split(f'"{mark}')
    out = [parts[0]]
    for part in parts[1:]:
        index, _, rest = part.partition(f'{mark}"')
        out.append(texts[int(index)] + rest)
    return "".join(out)


def not_json(value: Any, where: str = "") -> str | None:
    """Where a value holds a float that JSON cannot write (`NaN at meta.score`), or None."""
    if isinstance(value, float) and (value != value or value in (_INF, -_INF)):
        return f"{value!r} at {where or 'the top'}".replace("nan", "NaN").replace("inf", "Infinity")
    if isinstance(value, dict):
        for key, item in value.items():
            found = not_json(item, f"{where}.{key}" if where else str(key))
            if found:
                return found
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            found = not_json(item, f"{where}[{n}]")
            if found:
                return found
    return None


_INF = float("inf")


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
        value = loads(text)
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
