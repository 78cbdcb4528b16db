"""The hand-written baseline metanorm is measured against: what a user would write in an hour.

    python bench/baseline.py in.jsonl [-o out.jsonl]

Per record: `ftfy.fix_text` on title and text, drop lines equal to a short list of English UI
strings, `str.replace` for the common Ukrainian city renames, `dateparser.parse` on the date,
`langdetect.detect` (seeded) on the text. Field names are looked up under their usual names
only. It is not correct (no per-language rules, no exceptions like "Chicken Kiev", dates lose
their precision, no record of what changed); it only sets the speed to beat.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

UI_LINES = frozenset(
    {"Subscribe", "Advertisement", "Read more", "Share", "Comments", "Newsfeed", "Chats",
     "log in or register", "loader", "Sign up", "Log in", "Related", "Most read"}
)  # fmt: skip
RENAMES = (
    ("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Odessa", "Odesa"), ("Lvov", "Lviv"),
    ("Nikolaev", "Mykolaiv"), ("Zaporozhye", "Zaporizhzhia"), ("Dnepropetrovsk", "Dnipro"),
    ("Lugansk", "Luhansk"), ("Rovno", "Rivne"), ("Zhitomir", "Zhytomyr"),
    ("Chernigov", "Chernihiv"), ("Vinnitsa", "Vinnytsia"), ("Kirovograd", "Kropyvnytskyi"),
)  # fmt: skip


def _first(record: dict[str, Any], *names: str) -> Any:
    for name in names:
        if record.get(name) is not None:
            return record[name]
    return None


def _clean(value: Any) -> Any:
    import ftfy

    if not isinstance(value, str):
        return value
    value = ftfy.fix_text(value)
    lines = [line for line in value.splitlines() if line.strip() not in UI_LINES]
    value = "\n".join(lines)
    for old, new in RENAMES:
        value = value.replace(old, new)
    return value


def normalize_record(record: dict[str, Any]) -> dict[str, Any]:
    """One record, the hand-written way."""
    import dateparser
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    title = _clean(_first(record, "title", "headline"))
    text = _clean(_first(record, "text", "body", "content"))
    date = _first(record, "date", "published", "pubDate")
    published = None
    if isinstance(date, str):
        parsed = dateparser.parse(date)
        published = parsed.isoformat() if parsed else date
    language = None
    if isinstance(text or title, str):
        try:
            language = detect(text or title)
        except LangDetectException:
            language = None
    return {
        "id": _first(record, "id", "guid"),
        "url": _first(record, "url", "link"),
        "language": language,
        "published": published,
        "title": title,
        "text": text,
    }


def normalize_stream(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        yield normalize_record(record)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The hand-written baseline normalizer.")
    parser.add_argument("input", help="JSONL input")
    parser.add_argument("-o", "--output", help="JSONL output (stdout if absent)")
    args = parser.parse_args(argv)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        with open(args.input, encoding="utf-8") as stream:
            for line in stream:
                if line.strip():
                    result = normalize_record(json.loads(line))
                    out.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
