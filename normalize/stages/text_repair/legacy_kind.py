"""The `legacy-codepage` rule kind: its keys, their defaults, and the checks made at load time."""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from typing import Any

from normalize import profiles as langdetect_profiles
from normalize.ruleset import KindError, KindSpec

KIND = "legacy-codepage"

# Thresholds; every rule may override them (they are rule data, see `KINDS`).
DEFAULTS: dict[str, Any] = {
    "judge_with": ["ru", "uk", "bg", "mk"],  # langdetect profiles of the written language
    "min_letters": 4,  # fewer changed letters than this is no evidence
    "min_capitals_letters": 12,  # the same when the damaged text is all capitals
    "min_score": -4.6,  # mean log-probability per character of the repaired letters
    "min_gain": 1.2,  # how much better (per character) than the original's best profile
    "min_valid_share": 0.75,  # share of repaired letters in plausible words
    "word_score": -5.6,  # a word is plausible when its own mean score reaches this
    "min_source_letters": 0.15,  # letters of the damaged text per repaired letter, at least
    "case_weight": 1.0,  # gain per share of letters whose case was impossible before
}


def _check(spec: Mapping[str, Any]) -> None:
    """Refuse unknown codecs, unknown profiles and nonsense thresholds at load time."""
    for key in ("written_in", "read_as", "c1_read_as"):
        if key not in spec:
            continue
        try:
            info = codecs.lookup(spec[key])
        except LookupError:
            raise KindError(key, f"unknown codec {spec[key]!r}") from None
        try:
            if len(bytes(range(0x41, 0x5B)).decode(info.name)) != 26:
                raise ValueError
        except (UnicodeDecodeError, ValueError):
            raise KindError(key, f"{spec[key]!r} is not a single-byte ASCII code page") from None
    if codecs.lookup(spec["written_in"]).name == codecs.lookup(spec["read_as"]).name:
        raise KindError("read_as", "`read_as` must differ from `written_in`")
    judges = spec.get("judge_with", DEFAULTS["judge_with"])
    if not judges or not all(isinstance(j, str) for j in judges):
        raise KindError("judge_with", "`judge_with` is a non-empty list of langdetect profiles")
    if langdetect_profiles.installed():
        known = langdetect_profiles.names()
        for name in judges:
            if name not in known:
                raise KindError("judge_with", f"langdetect has no profile {name!r}")
    for key in DEFAULTS:
        if key == "judge_with":
            continue
        if key in spec and isinstance(spec[key], bool):
            raise KindError(key, f"`{key}` must be a number")
    share = spec.get("min_valid_share", 0.5)
    if not 0 <= share <= 1:
        raise KindError("min_valid_share", "`min_valid_share` is between 0 and 1")


KINDS = {
    KIND: KindSpec(
        stage="text_repair",
        required={"written_in": str, "read_as": str},
        optional={
            "c1_read_as": str,
            "judge_with": list,
            "min_letters": int,
            "min_capitals_letters": int,
            "min_score": (int, float),
            "min_gain": (int, float),
            "min_valid_share": (int, float),
            "word_score": (int, float),
            "min_source_letters": (int, float),
            "case_weight": (int, float),
        },
        default_fields=("text", "title"),
        check=_check,
    )
}
