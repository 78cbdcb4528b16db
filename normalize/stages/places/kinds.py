"""The place rule kinds and their load-time checks (a bad rule is refused with its line)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from normalize.regex_safety import PatternError, compile_rule_pattern
from normalize.ruleset import KindError, KindSpec

NAME = "places"

PLACE_KINDS = ("city", "region", "country")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")


def _names(spec: Mapping[str, Any], key: str, required: bool = True) -> None:
    value = spec.get(key, [])
    if (required and not value) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KindError(key, f"`{key}` must be a {'non-empty ' if required else ''}list of text")


def _patterns(spec: Mapping[str, Any], key: str) -> None:
    for pattern in spec.get(key, []):
        if not isinstance(pattern, str):
            raise KindError(key, f"`{key}` holds regular expressions as text")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise KindError(key, f"bad regular expression {pattern!r}: {exc}") from None


def _check_variants(variants: Mapping[str, Any]) -> None:
    for lang, forms in variants.items():
        if not isinstance(lang, str) or not LANG_RE.match(lang):
            raise KindError("variants", f"variant language {lang!r} is not a language code")
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            raise KindError("variants", f"variants of {lang!r} must be a list of names")


def _check_place(spec: Mapping[str, Any]) -> None:
    if not spec["name"].strip():
        raise KindError("name", "`name` must not be empty")
    if not COUNTRY_RE.match(spec["country"]):
        raise KindError("country", "`country` must be an ISO 3166-1 alpha-2 code like `UA`")
    gid = spec["geonames_id"]
    if isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0:
        raise KindError("geonames_id", "`geonames_id` must be a positive GeoNames id")
    if spec["place_kind"] not in PLACE_KINDS:
        raise KindError("place_kind", f"`place_kind` must be one of {', '.join(PLACE_KINDS)}")
    _check_variants(spec["variants"])
    _names(spec, "field_only", required=False)


def _check_group(spec: Mapping[str, Any]) -> None:
    if not spec["name"].strip():
        raise KindError("name", "`name` must not be empty")
    _names(spec, "places")
    _check_variants(spec["variants"])


def _check_rename(spec: Mapping[str, Any]) -> None:
    if not spec["place"].strip() or not spec["to"].strip():
        raise KindError("to", "`place` and `to` must not be empty")
    _names(spec, "from")
    if spec["to"] in spec["from"]:
        raise KindError("from", "a rename cannot rename a name to itself")


def _check_exception(spec: Mapping[str, Any]) -> None:
    _names(spec, "phrases")


def _check_field(spec: Mapping[str, Any]) -> None:
    for key, patterns in (("split", [spec["split"]]), ("strip", spec.get("strip", []))):
        for pattern in patterns:
            if not isinstance(pattern, str):
                raise KindError(key, f"`{key}` holds regular expressions as text")
            try:
                compile_rule_pattern(pattern)
            except PatternError as exc:
                raise KindError(key, f"bad regular expression {pattern!r}: {exc}") from None
    if not isinstance(spec.get("bare_min_population", 0), int):
        raise KindError("bare_min_population", "`bare_min_population` is a number of people")


def _check_cues(spec: Mapping[str, Any]) -> None:
    _names(spec, "words")
    if not isinstance(spec.get("min_hits", 2), int) or not isinstance(
        spec.get("min_ratio", 0.1), int | float
    ):
        raise KindError("min_hits", "`min_hits` is a number and `min_ratio` a fraction")


def _check_person(spec: Mapping[str, Any]) -> None:
    for key in ("titles_before", "given_names", "roles_before", "words_after"):
        _names(spec, key, required=False)
    _patterns(spec, "after_patterns")


def _check_work_title(spec: Mapping[str, Any]) -> None:
    quotes = spec["quotes"]
    if not quotes or not all(isinstance(q, str) and len(q) == 2 for q in quotes):
        raise KindError("quotes", "`quotes` lists quote pairs as two characters: `“”`")
    _names(spec, "work_nouns")
    if not isinstance(spec.get("max_words", 8), int):
        raise KindError("max_words", "`max_words` is a number")


def _check_referent(spec: Mapping[str, Any]) -> None:
    _names(spec, "forms")
    _patterns(spec, "homonym_patterns")
    _patterns(spec, "near_patterns")


def _check_evidence(spec: Mapping[str, Any]) -> None:
    if not COUNTRY_RE.match(spec["country"]):
        raise KindError("country", "`country` must be an ISO 3166-1 alpha-2 code like `UA`")
    _patterns(spec, "cue_patterns")
    for key in ("domains", "frames_before", "frames_after"):
        _names(spec, key, required=False)


def _check_caseless(spec: Mapping[str, Any]) -> None:
    _names(spec, "forms")


def _check_romanize(spec: Mapping[str, Any]) -> None:
    for key in ("letters", "initial", "pairs"):
        table = spec.get(key, {})
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in table.items()
        ):
            raise KindError(key, f"`{key}` maps Ukrainian letters to Latin text")
    if not spec["letters"]:
        raise KindError("letters", "`letters` must not be empty")
    _names(spec, "drop", required=False)


def _kind(
    required: dict[str, Any],
    check: Any,
    optional: dict[str, Any] | None = None,
    fields: tuple[str, ...] = ("text", "title"),
    patterns: tuple[str, ...] = (),
) -> KindSpec:
    return KindSpec(stage=NAME, required=required, optional=optional or {},
                    default_fields=fields, check=check, patterns=patterns)  # fmt: skip


KINDS = {
    "place": _kind(
        {"name": str, "country": str, "geonames_id": int, "place_kind": str, "variants": dict},
        _check_place,
        {"field_only": list},
        ("places", "title", "text"),
    ),
    "place-group": _kind(
        {"name": str, "places": list, "variants": dict}, _check_group, None, ("places", "text")
    ),
    "place-rename": _kind({"place": str, "from": list, "to": str}, _check_rename),
    "place-exception": _kind({"phrases": list}, _check_exception),
    "place-field": _kind(
        {"split": str},
        _check_field,
        {"strip": list, "bare_min_population": int},
        ("places",),
        ("split", "strip"),
    ),
    "place-language-cues": _kind(
        {"language": str, "words": list},
        _check_cues,
        {"min_hits": int, "min_ratio": (int, float)},
    ),
    "place-person": _kind(
        {},
        _check_person,
        {
            "titles_before": list,
            "given_names": list,
            "roles_before": list,
            "words_after": list,
            "after_patterns": list,
        },
    ),
    "place-work-title": _kind(
        {"quotes": list, "work_nouns": list}, _check_work_title, {"max_words": int}
    ),
    "place-referent": _kind(
        {"place": str, "forms": list},
        _check_referent,
        {"ambiguous": bool, "homonym_patterns": list, "near_patterns": list},
    ),
    "place-evidence": _kind(
        {"country": str},
        _check_evidence,
        {"cue_patterns": list, "domains": list, "frames_before": list, "frames_after": list},
    ),
    "place-caseless": _kind({"forms": list}, _check_caseless),
    "place-romanize": _kind(
        {"language": str, "letters": dict},
        _check_romanize,
        {"initial": dict, "pairs": dict, "drop": list},
        ("places",),
    ),
}
