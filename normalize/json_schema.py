"""The JSON Schema (draft 2020-12) of the canonical record, shipped in the package.

`metanorm schema` prints it; `record_schema()` gives it to code (validators, catalogs,
contracts between teams). The file is `normalize/record.schema.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any

from normalize.memo import Lazy

SCHEMA_FILE = "record.schema.json"


def _read_schema() -> str:
    return resources.files("normalize").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


_schema_text: Lazy[str] = Lazy(_read_schema)


def record_schema() -> dict[str, Any]:
    """The canonical record's JSON Schema, as a fresh dict (safe to modify)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


def schema_command(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metanorm schema",
        description="Print the JSON Schema (draft 2020-12) of the canonical record.",
    )
    parser.add_argument("-o", "--output", metavar="PATH", help="write it here instead of stdout")
    args = parser.parse_args(argv)
    text = _schema_text()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
    return 0
