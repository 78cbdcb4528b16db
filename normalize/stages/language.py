"""The language stage: the declared language normalized, checked against the text.

Decision (SPEC "language"):
- a declared language in any form becomes a BCP 47 tag (`English` → `en`, `en_US` → `en-US`);
- detection runs on the cleaned title and text; a declared tag that agrees with it (or that
  the detector cannot judge, or when detection is not confident enough to overrule it) is
  kept with its script/region subtags;
- a declared tag the text confidently contradicts is replaced by the detected language with
  a `language.mismatch` warning naming both;
- no declared tag: the detected language; too little evidence: null and `language.uncertain`.
The detection confidence goes to `normalization.language_confidence`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from normalize.langid import (
    Alphabet,
    Detection,
    Detector,
    DetectorSettings,
    alphabet_from_spec,
)
from normalize.langtags import NameTable, name_key, parse_code, primary_subtag, resolve_declared
from normalize.ruleset import KindError, KindSpec, RuleSet
from normalize.work import WorkRecord

NAME = "language"

_NUMBER = (int, float)
_DETECTION_KEYS: dict[str, type | tuple[type, ...]] = {
    "max_chars": int,
    "min_letters": int,
    "min_confidence": _NUMBER,
    "override_confidence": _NUMBER,
    "temperature": _NUMBER,
    "alphabet_penalty": _NUMBER,
    "word_bonus": _NUMBER,
    "proxy_penalty": _NUMBER,
    "restrict_to": list,
    "close_groups": list,
    "priors": dict,
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
    if "temperature" in spec and spec["temperature"] <= 0:
        raise KindError("temperature", "`temperature` must be positive")
    for tag, weight in (spec.get("priors") or {}).items():
        _check_tag("priors", tag)
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise KindError("priors", f"prior weight for {tag!r} must be a positive number")
    for tag in spec.get("restrict_to") or []:
        _check_tag("restrict_to", tag)
    for group in spec.get("close_groups") or []:
        if not isinstance(group, list) or len(group) < 2:
            raise KindError("close_groups", "each close group is a list of two or more codes")
        for tag in group:
            _check_tag("close_groups", tag)


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
}


@dataclass(frozen=True)
class CompiledLanguage:
    """What the stage needs per record; pickles (the profile model is loaded per process)."""

    names: NameTable
    names_rule: str
    detect_rule: str
    detector: Detector
    override_confidence: float
    close_groups: tuple[frozenset[str], ...]
    alphabet_rules: tuple[tuple[str, str, str], ...] = ()  # (language, script, rule id)


def compile(ruleset: RuleSet) -> CompiledLanguage:
    """Merge the language rules: extra names, alphabets, detection settings."""
    names: list[tuple[str, str, str]] = []
    ignore: set[str] = set()
    names_rule = "language.names"
    name_rules = ruleset.of_kind("language-names")
    if name_rules:
        names_rule = name_rules[0].id
    for rule in name_rules:
        for alias, tag in (rule.spec.get("names") or {}).items():
            key = name_key(alias)
            names.append((key, parse_code(tag) or tag, rule.id))
        ignore.update(w.strip().casefold() for w in rule.spec.get("ignore_words") or [])
    alphabets: dict[str, Alphabet] = {}
    alphabet_rules: dict[str, str] = {}
    for rule in ruleset.of_kind("language-alphabet"):
        alphabet = alphabet_from_spec(primary_subtag(rule.spec["language"]) or "", rule.spec)
        alphabets[alphabet.language] = alphabet  # a later rule replaces an earlier one
        alphabet_rules[alphabet.language] = rule.id
    settings: dict[str, Any] = {}
    detect_rule = "language.detect"
    detection_rules = ruleset.of_kind("language-detection")
    for rule in detection_rules:
        settings.update(rule.spec)
        detect_rule = rule.id
    override = float(settings.pop("override_confidence", 0.9))
    groups = tuple(
        frozenset(primary_subtag(t) or t for t in group)
        for group in settings.pop("close_groups", [])
    )
    restrict = tuple(primary_subtag(t) or t for t in settings.pop("restrict_to", []))
    priors = tuple(
        sorted((primary_subtag(t) or t, float(w)) for t, w in settings.pop("priors", {}).items())
    )
    detector = Detector(
        DetectorSettings(
            alphabets=tuple(alphabets[k] for k in sorted(alphabets)),
            languages=restrict,
            priors=priors,
            **{k: (float(v) if isinstance(v, float) else v) for k, v in settings.items()},  # type: ignore[arg-type]
        )
    )
    return CompiledLanguage(
        names=NameTable(tuple(names), frozenset(ignore)),
        names_rule=names_rule,
        detect_rule=detect_rule,
        detector=detector,
        override_confidence=override,
        close_groups=groups,
        alphabet_rules=tuple(
            (lang, alphabets[lang].script, alphabet_rules[lang]) for lang in sorted(alphabets)
        ),
    )


def run(work: WorkRecord, compiled: CompiledLanguage) -> None:
    """Decide the record's language tag, warn when the text disagrees, record confidence."""
    raw = work.values.get("language")
    declared = resolve_declared(raw, compiled.names)
    sample = _sample(work, compiled.detector.settings.max_chars)
    detection = compiled.detector.detect(sample) if sample else None
    if detection is not None and detection.letters:
        work.hints.setdefault("normalization", {})["language_confidence"] = detection.confidence
    detected = _canonical_tag(detection.language) if detection else None

    if declared is not None:
        tag: Any = declared.tag  # (an undeclarable value is kept as it is)
        rule_id = declared.rule_id or compiled.names_rule
        if (
            detected
            and not _agrees(tag, detected, compiled)
            and _can_overrule(tag, detection, compiled)
        ):
            work.warn(
                "language.mismatch",
                "language",
                f"declared {raw!r} ({tag}) but the text reads as {detected}"
                f" (confidence {detection.confidence if detection else None}); using {detected}",
            )
            tag, rule_id = detected, compiled.detect_rule
    elif _is_present(raw):
        if detected:
            work.warn(
                "language.unparsed",
                "language",
                f"declared {raw!r} is not a known language; the text reads as {detected}",
            )
            tag, rule_id = detected, compiled.detect_rule
        else:
            work.warn(
                "language.unparsed",
                "language",
                f"declared {raw!r} is not a known language and the text is too thin to tell; kept",
            )
            tag, rule_id = raw, compiled.names_rule
    elif detected:
        tag, rule_id = detected, compiled.detect_rule
    else:
        tag, rule_id = None, compiled.detect_rule
        why = detection.reason if detection else "no title or text"
        guess = (
            f" (best guess {detection.best}, confidence {detection.confidence})"
            if (detection and detection.best)
            else ""
        )
        work.warn("language.uncertain", "language", f"language not detected: {why}{guess}")

    if tag != raw:
        work.set("language", tag, rule_id)
        if rule_id == compiled.detect_rule and detection is not None:
            for lang, script, alphabet_rule in compiled.alphabet_rules:
                if lang == tag and script == detection.script:
                    work.fire(alphabet_rule)  # the alphabet that told close languages apart
    work.hints["language"] = tag if isinstance(tag, str) else None


def _sample(work: WorkRecord, max_chars: int) -> str:
    """Title and text joined by a newline (blank ones left out), cut to what detection
    reads: only the first `max_chars` characters count, and texts run to 50 KB."""
    parts = [t for t in (work.text("title"), work.text("text")) if t and not t.isspace()]
    return "\n".join([t[:max_chars] for t in parts])


@lru_cache(maxsize=256)
def _canonical_tag(language: str | None) -> str | None:
    """A detected language as its declared form would resolve (`tl` → `fil`), so that
    normalizing the output again keeps the tag (idempotence)."""
    if not language:
        return language
    return primary_subtag(parse_code(language)) or language


def _is_present(raw: Any) -> bool:
    return raw is not None and not (isinstance(raw, str) and not raw.strip())


def _agrees(declared: str, detected: str, compiled: CompiledLanguage) -> bool:
    a, b = primary_subtag(declared), primary_subtag(detected)
    if a == b:
        return True
    return any(a in group and b in group for group in compiled.close_groups)


def _can_overrule(declared: str, detection: Detection | None, compiled: CompiledLanguage) -> bool:
    """Only a confident detection overrules a declaration, and only one it can judge."""
    if detection is None or detection.confidence < compiled.override_confidence:
        return False
    return primary_subtag(declared) in compiled.detector.known_languages()


_DEFAULT: list[Detector] = []
_DEFAULT_LOCK = threading.Lock()


def default_detector() -> Detector:
    """The detector `rules/languages.yaml` configures (for `langid.detect` without one)."""
    if not _DEFAULT:
        with _DEFAULT_LOCK:
            if not _DEFAULT:
                from normalize.ruleset import default_rules_dir, load_rule_file, ruleset_digest

                path = default_rules_dir() / "languages.yaml"
                rules = tuple(load_rule_file(path, KINDS))
                ruleset = RuleSet(rules=rules, sources=(str(path),), digest=ruleset_digest(rules))
                _DEFAULT.append(compile(ruleset).detector)
    return _DEFAULT[0]
