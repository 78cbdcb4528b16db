"""Per-value functions: one field at a time, as `ftfy.fix_text` serves one string.

    from normalize import fix_text, parse_date, detect_language, find_places
    fix_text("Ð“Ð¾Ñ€Ð¾Ð´")                  # 'Город'
    parse_date("28.01.2022", language="ru")  # ParsedDate(value='2022-01-28', precision='day', …)
    detect_language("Городские власти …")    # Detection(tag='ru', confidence=0.99)
    find_places("Talks in Kiev resumed.")    # [Place(name='Kyiv', country='UA', geonames_id=703448)]
    df["title"].map(fix_text)                # pandas: missing values come back as they are

Each function is a thin door onto the whole pipeline: the value becomes the one field of a
record, a `Normalizer` (the default one, built once on first use, or the one given) runs
every stage and rule on it exactly as the CLI would, and the function reads its field back.
So a per-value answer never drifts from the record answer, and each `_and_explain` variant
gives the changes and warnings of that field, each naming its rule.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from normalize.memo import Lazy

if TYPE_CHECKING:
    from normalize.findings import Change, Finding
    from normalize.normalizer import Explained, Normalizer

__all__ = [
    "Detection",
    "ExplainedValue",
    "ParsedDate",
    "Place",
    "default_normalizer",
    "detect_language",
    "detect_language_and_explain",
    "find_places",
    "find_places_and_explain",
    "fix_text",
    "fix_text_and_explain",
    "parse_date",
    "parse_date_and_explain",
]

T = TypeVar("T")
TEXT_FIELDS = ("title", "text", "summary")


@dataclass(frozen=True)
class ExplainedValue(Generic[T]):
    """A per-value answer and how it came about: the field's changes and warnings."""

    value: T
    changes: tuple[Change, ...]
    warnings: tuple[Finding, ...]


@dataclass(frozen=True)
class ParsedDate:
    """A date as `published` holds it: ISO 8601 at the input's precision, and how it was read.

    `value` is None when the input is not a date metanorm can read (or needs a reference
    date it was not given); `form` is the form that read it (`iso`, `numeric`, `textual`,
    `rfc2822`, `timestamp`, …, as named in rules/dates.yaml); `ambiguous` says that both
    day/month orders were valid and the language or source decided (see the warning).
    """

    value: str | None
    precision: str | None  # year, month, day, minute, second
    ambiguous: bool
    form: str | None
    text: Any  # the input, as given


@dataclass(frozen=True)
class Detection:
    """A language decision: a BCP 47 tag (None when the text is too thin) and the
    detector's confidence (None when there was no text to judge)."""

    tag: str | None
    confidence: float | None


@dataclass(frozen=True)
class Place:
    """A canonical place: English name, ISO 3166-1 alpha-2 country, GeoNames id or None."""

    name: str
    country: str | None
    geonames_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "geonames_id": self.geonames_id}


def _new_normalizer() -> Normalizer:
    from normalize.normalizer import Normalizer

    return Normalizer()


_DEFAULT_NORMALIZER: Lazy[Normalizer] = Lazy(_new_normalizer)


def default_normalizer() -> Normalizer:
    """The Normalizer of the default rules, built once per process on first use."""
    return _DEFAULT_NORMALIZER()


def is_missing(value: Any) -> bool:
    """None, a float NaN, or pandas' NA/NaT: what a data frame holds where it has no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType") and type(value).__module__.startswith(
        "pandas"
    )


def json_scalar(value: Any) -> Any:
    """A scalar from a data frame as JSON holds it: NaN and infinities → None (JSON has no
    such numbers), times → ISO 8601 text, decimals → numbers, bytes → text (pandas and
    Spark rows become records through it)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return value


def _run(record: dict[str, Any], normalizer: Normalizer | None, reference: Any = None) -> Explained:
    engine = normalizer if normalizer is not None else default_normalizer()
    if reference is not None:
        engine = _with_reference(engine, reference)
    return engine.explain(record)


def _with_reference(normalizer: Normalizer, reference: Any) -> Normalizer:
    """The same Normalizer (rules and compiled stages shared) with another reference date."""
    if isinstance(reference, datetime | date):
        reference = reference.isoformat()
    if not isinstance(reference, str):
        raise TypeError(f"reference is a date, a datetime or ISO 8601 text, not {reference!r}")
    clone = copy.copy(normalizer)  # shares the ruleset and compiled stages
    clone.reference_date = reference
    return clone


def _record(
    field: str, value: Any, language: str | None, context: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    record = {k: v for k, v in (context or {}).items() if not is_missing(v)}
    record[field] = value
    if language is not None:
        record["language"] = language
    return record


def _about(explained: Explained, fields: tuple[str, ...]) -> tuple[tuple, tuple]:
    changes = tuple(c for c in explained.changes if c.field in fields)
    warnings = tuple(w for w in explained.warnings if w.field in fields)
    return changes, warnings


# --- text ---------------------------------------------------------------------------------


def fix_text_and_explain(
    text: str,
    language: str | None = None,
    *,
    field: str = "text",
    context: Mapping[str, Any] | None = None,
    normalizer: Normalizer | None = None,
) -> ExplainedValue[str]:
    """`fix_text`, with the changes (each naming its rule) and warnings on the way."""
    if field not in TEXT_FIELDS:
        raise ValueError(f"field is one of {', '.join(TEXT_FIELDS)}, not {field!r}")
    if is_missing(text):
        return ExplainedValue(text, (), ())
    if not isinstance(text, str):
        raise TypeError(f"fix_text takes text, not {type(text).__name__}")
    explained = _run(_record(field, text, language, context), normalizer)
    value = explained.output.get(field)
    return ExplainedValue(value if isinstance(value, str) else text, *_about(explained, (field,)))


def fix_text(
    text: str,
    language: str | None = None,
    *,
    field: str = "text",
    context: Mapping[str, Any] | None = None,
    normalizer: Normalizer | None = None,
) -> str:
    """Text as a canonical record holds it: mojibake and legacy code pages repaired, UI
    leftovers removed, place names renamed, whitespace tidied (the rules of the language
    given, else of the language detected). `field="title"` applies the title's rules
    (one line, publisher suffixes). `context` gives other fields of the record that rules
    look at (`source` and `url` for a site's rules, `title` for a headline repeated atop the
    text). A missing value (None, NaN, pd.NA) comes back as it is.
    """
    explained = fix_text_and_explain(
        text, language, field=field, context=context, normalizer=normalizer
    )
    return explained.value


# --- dates --------------------------------------------------------------------------------

_PRECISION = (
    (re.compile(r"\d{4}"), "year"),
    (re.compile(r"\d{4}-\d{2}"), "month"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "day"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?"), "minute"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"), "second"),
)
_UNREAD = ("date.unparsed", "date.relative_unresolved")


def precision_of(iso: str) -> str | None:
    """The precision an ISO 8601 value of `published` carries (`2022-01` → month)."""
    for pattern, precision in _PRECISION:
        if pattern.fullmatch(iso):
            return precision
    return None


def parse_date_and_explain(
    value: Any,
    language: str | None = None,
    reference: date | datetime | str | None = None,
    *,
    context: Mapping[str, Any] | None = None,
    normalizer: Normalizer | None = None,
) -> ExplainedValue[ParsedDate]:
    """`parse_date`, with the changes and warnings (`date.ambiguous` names the other reading)."""
    if is_missing(value):
        return ExplainedValue(ParsedDate(None, None, False, None, value), (), ())
    given = value.isoformat() if isinstance(value, datetime | date) else value
    engine = normalizer if normalizer is not None else default_normalizer()
    explained = _run(_record("published", given, language, context), engine, reference)
    changes, warnings = _about(explained, ("published",))
    codes = {w.code for w in warnings}
    out = explained.output.get("published")
    if codes & set(_UNREAD) or not isinstance(out, str):
        return ExplainedValue(ParsedDate(None, None, False, None, value), changes, warnings)
    form = _form(engine, changes[-1].rule_id) if changes else "iso"  # unchanged: already ISO
    parsed = ParsedDate(out, precision_of(out), "date.ambiguous" in codes, form, value)
    return ExplainedValue(parsed, changes, warnings)


def _form(normalizer: Normalizer, rule_id: str) -> str:
    rule = normalizer.ruleset.by_id(rule_id)
    if rule is not None and isinstance(rule.spec.get("form"), str):
        return rule.spec["form"]
    return rule_id.removeprefix("date.")


def parse_date(
    value: Any,
    language: str | None = None,
    reference: date | datetime | str | None = None,
    *,
    context: Mapping[str, Any] | None = None,
    normalizer: Normalizer | None = None,
) -> ParsedDate:
    """A date as the `published` field gets it: the language's month names and day/month
    order; `reference` resolves relative and yearless dates (`вчера, 17:22`, `7 июня`).
    Accepts text, Unix timestamps, and `date`/`datetime` objects (pandas Timestamps too);
    `context` gives fields whose rules decide the day/month order (`source`, `url`).
    """
    explained = parse_date_and_explain(
        value, language, reference, context=context, normalizer=normalizer
    )
    return explained.value


# --- language -----------------------------------------------------------------------------


def detect_language_and_explain(
    text: str, *, context: Mapping[str, Any] | None = None, normalizer: Normalizer | None = None
) -> ExplainedValue[Detection]:
    """`detect_language`, with the rule that decided and `language.uncertain` when unsure."""
    if is_missing(text):
        return ExplainedValue(Detection(None, None), (), ())
    if not isinstance(text, str):
        raise TypeError(f"detect_language takes text, not {type(text).__name__}")
    explained = _run(_record("text", text, None, context), normalizer)
    tag = explained.output.get("language")
    confidence = explained.output["normalization"].get("language_confidence")
    detection = Detection(tag if isinstance(tag, str) else None, confidence)
    return ExplainedValue(detection, *_about(explained, ("language",)))


def detect_language(
    text: str, *, context: Mapping[str, Any] | None = None, normalizer: Normalizer | None = None
) -> Detection:
    """The language of a text as a BCP 47 tag, decided as for a record's `language`
    (on the text after repair and UI removal; a `title` in `context` is read too), with
    the detector's confidence."""
    return detect_language_and_explain(text, context=context, normalizer=normalizer).value


# --- places -------------------------------------------------------------------------------


def find_places_and_explain(
    text: str,
    language: str | None = None,
    *,
    context: Mapping[str, Any] | None = None,
    normalizer: Normalizer | None = None,
) -> ExplainedValue[list[Place]]:
    """`find_places`, with the changes (renames in the text) and place warnings."""
    if is_missing(text):
        return ExplainedValue([], (), ())
    if not isinstance(text, str):
        raise TypeError(f"find_places takes text, not {type(text).__name__}")
    explained = _run(_record("text", text, language, context), normalizer)
    places = [
        Place(p["name"], p.get("country"), p.get("geonames_id"))
        for p in explained.output.get("places") or []
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    ]
    return ExplainedValue(places, *_about(explained, ("places", "text")))


def find_places(
    text: str,
    language: str | None = None,
    *,
    context: Mapping[str, Any] | None = None,
    normalizer: Normalizer | None = None,
) -> list[Place]:
    """The canonical places a text mentions that the gazetteer knows, in order of first
    mention, each once (`Kiev`, `Киев`, `Kijów` → Kyiv), as the record's `places` lists
    them (a `place` in `context` is resolved first, as the record's place field is)."""
    explained = find_places_and_explain(text, language, context=context, normalizer=normalizer)
    return explained.value
