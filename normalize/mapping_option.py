"""`--map CANONICAL=FIELD`: the command line's way to pin a field mapping.

The library takes the same as `Normalizer(mapping={"published": "article_date_timestamp"})`;
a rule directory can pin it too (a `field-map` rule). A malformed option is a usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from normalize.ruleset import KindError
from normalize.schema_map import check_mapping

EXIT_USAGE = 2


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """`["published=date_ts", "source=site.name"]` → a mapping; later options win."""
    mapping: dict[str, str] = {}
    for option in options:
        canonical, sep, field = option.partition("=")
        if not sep or not canonical.strip() or not field.strip():
            _fail(option, "expected CANONICAL=FIELD, e.g. --map published=article_date_timestamp")
        mapping[canonical.strip()] = field.strip()
    try:
        check_mapping(mapping, "--map")
    except KindError as exc:
        _fail(", ".join(options), str(exc))
    return mapping


def _fail(option: str, reason: str) -> None:
    print(f"metanorm: --map {option!r}: {reason}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
