"""The language stage's rule kinds: declared names, alphabets, detection settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from normalize.langtags import parse_code
from normalize.ruleset import KindError, KindSpec

NAME = "language"

_NUMBER = (int, float)
_DETECTION_KEYS: dict[str, type | tuple[type, ...]] = {
    "max_chars": int,
    "min_letters": int,
    "script_min_letters": dict,
    "min_confidence": _NUMBER,
    "lost_words_power": _NUMBER,
    "override_confidence": _NUMBER,
    "temperature": _NUMBER,
    "alphabet_penalty": _NUMBER,
    "word_bonus": _NUMBER,
    "proxy_penalty": _NUMBER,
    "restrict_to": list,
    "close_groups": list,
    "priors": dict,
    "word_weight": _NUMBER,
    "word_absent": _NUMBER,
    "word_unlisted": _NUMBER,
    "word_depth": int,
    "word_lists": dict,
    "word_transliterations": dict,
}


def _check_tag(key: str, value: Any) -> None:
    if not isinstance(value, str) or parse_code(value) is None:
        raise KindError(key, f"{value!r} is not a language code (ISO 639 / BCP 47)")


def _check_names(spec: Mapping[str, Any]) -> None:
    names = spec.get("names") or {}
    for alias, tag in names.items():
        if not isinstance(alias, str) or not alias.strip():
            raise KindError("names", "every alias must be non-empty text")
        _check_tag("names", tag)
    words = spec.get("ignore_words") or []
    if not all(isinstance(w, str) and w.strip() and " " not in w.strip() for w in words):
        raise KindError("ignore_words", "`ignore_words` must be single words")
    if not names and not words:
        raise KindError("names", "give `names` or `ignore_words` (babel knows the rest)")


def _check_alphabet(spec: Mapping[str, Any]) -> None:
    _check_tag("language", spec["language"])
    if not spec["letters"].strip():
        raise KindError("letters", "`letters` must list the alphabet's lowercase letters")
    for key in ("proxies", "words"):
        values = spec.get(key) or []
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise KindError(key, f"`{key}` must be a list of text")
    for proxy in spec.get("proxies") or []:
        _check_tag("proxies", proxy)
    for letter, rate in (spec.get("rates") or {}).items():
        if not isinstance(letter, str) or len(letter) != 1 or letter not in spec["letters"]:
            raise KindError("rates", f"{letter!r} is not one letter of `letters`")
        if not isinstance(rate, float) or not 0 < rate < 1:
            raise KindError("rates", f"the rate of {letter!r} must be a share between 0 and 1")


def _check_detection(spec: Mapping[str, Any]) -> None:
    for key in ("min_confidence", "override_confidence"):
        if key in spec and not 0 <= spec[key] <= 1:
            raise KindError(key, f"`{key}` must be between 0 and 1")
    if "max_chars" in spec and not 10 <= spec["max_chars"] <= 100_000:
        raise KindError("max_chars", "`max_chars` must be between 10 and 100000")
    if "lost_words_power" in spec and spec["lost_words_power"] < 0:
        raise KindError("lost_words_power", "`lost_words_power` must be 0 or more")
    if "temperature" in spec and spec["temperature"] <= 0:
        raise KindError("temperature", "`temperature` must be positive")
    for tag, weight in (spec.get("priors") or {}).items():
        _check_tag("priors", tag)
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise KindError("priors", f"prior weight for {tag!r} must be a positive number")
    for script, count in (spec.get("script_min_letters") or {}).items():
        if not isinstance(script, str) or len(script) != 4 or not script.istitle():
            raise KindError("script_min_letters", f"{script!r} is not a script code such as Hani")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise KindError("script_min_letters", f"the minimum for {script} is a whole number ≥ 1")
    for tag in spec.get("restrict_to") or []:
        _check_tag("restrict_to", tag)
    for group in spec.get("close_groups") or []:
        if not isinstance(group, list) or len(group) < 2:
            raise KindError("close_groups", "each close group is a list of two or more codes")
        for tag in group:
            _check_tag("close_groups", tag)


def _check_scripts(spec: Mapping[str, Any]) -> None:
    for tag, scripts in spec["written_in"].items():
        _check_tag("written_in", tag)
        listed = [scripts] if isinstance(scripts, str) else scripts
        if not isinstance(listed, list) or not listed:
            raise KindError("written_in", f"give {tag!r} a script code or a list of them")
        for script in listed:
            if not isinstance(script, str) or len(script) != 4 or not script.istitle():
                raise KindError("written_in", f"{script!r} is not a script code such as Latn")


KINDS = {
    "language-names": KindSpec(
        stage=NAME,
        required={},
        optional={"names": dict, "ignore_words": list},
        default_fields=("language",),
        check=_check_names,
    ),
    "language-alphabet": KindSpec(
        stage=NAME,
        required={"language": str, "letters": str},
        optional={"script": str, "proxies": list, "words": list, "rates": dict},
        default_fields=("language",),
        check=_check_alphabet,
    ),
    "language-detection": KindSpec(
        stage=NAME,
        required={},
        optional=_DETECTION_KEYS,
        default_fields=("language",),
        check=_check_detection,
    ),
    "language-scripts": KindSpec(
        stage=NAME,
        required={"written_in": dict},
        optional={},
        default_fields=("language",),
        check=_check_scripts,
    ),
}
