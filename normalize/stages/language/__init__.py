"""The language stage: the declared language normalized, checked against the text.

Decision (SPEC "language"):
- a declared language in any form becomes a BCP 47 tag (`English` → `en`, `en_US` → `en-US`);
- detection runs on the cleaned title and text; a declared tag that agrees with it (or that
  the detector cannot judge, or when detection is not confident enough to overrule it) is
  kept with its script/region subtags;
- a declared tag the text confidently contradicts is replaced by the detected language with
  a `language.mismatch` warning naming both;
- no declared tag: the detected language; too little evidence: null and `language.uncertain`.
The detection confidence is the record's `language_confidence` note (`WorkRecord.note`; the
output shows it as `normalization.language_confidence`). A canonical record
normalized again keeps the confidence it carries while its language stands (idempotence:
the second pass reads text whose UI leftovers are gone).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from normalize.langtags import NameTable, name_key, parse_code, primary_subtag, resolve_declared
from normalize.ruleset import RuleSet
from normalize.stages.language.detector import Detection, Detector, DetectorSettings
from normalize.stages.language.evidence import Alphabet, alphabet_from_spec
from normalize.stages.language.kinds import KINDS, NAME
from normalize.work import WorkRecord

__all__ = ["KINDS", "NAME", "READS", "WRITES", "CompiledLanguage", "compile", "run"]

# Decided once, on the repaired text, before the stages scoped by language.
READS = frozenset({"title", "summary", "text", "language", "language_confidence"})
WRITES = frozenset({"language", "language_confidence"})
FIELDS = ("title", "summary", "text")  # the record's texts, judged together


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
    scripts_rule: str | None = None  # the script listing (it decides a sole writer's text)


def compile(ruleset: RuleSet) -> CompiledLanguage:
    """Merge the language rules: extra names, alphabets, detection settings."""
    names: list[tuple[str, str, str]] = []
    ignore: set[str] = set()
    name_rules = ruleset.of_kind("language-names")
    detection_rules = ruleset.of_kind("language-detection")
    if not name_rules or not detection_rules:
        raise ValueError("no `language-names` or `language-detection` rule (rules/languages.yaml)")
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
    for rule in detection_rules:
        settings.update(rule.spec)
    detect_rule = detection_rules[-1].id
    override = float(settings.pop("override_confidence", 0.9))
    groups = tuple(
        frozenset(primary_subtag(t) or t for t in group)
        for group in settings.pop("close_groups", [])
    )
    minimums = tuple(sorted(settings.pop("script_min_letters", {}).items()))
    restrict = tuple(primary_subtag(t) or t for t in settings.pop("restrict_to", []))
    priors = tuple(
        sorted((primary_subtag(t) or t, float(w)) for t, w in settings.pop("priors", {}).items())
    )
    word_lists, spellings = _word_settings(settings)
    detector = Detector(
        DetectorSettings(
            scripts=tuple(sorted(_scripts(ruleset.of_kind("language-scripts")).items())),
            script_min_letters=minimums,
            alphabets=tuple(alphabets[k] for k in sorted(alphabets)),
            languages=restrict,
            priors=priors,
            word_lists=word_lists,
            word_transliterations=spellings,
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
        scripts_rule=_last_id(ruleset.of_kind("language-scripts")),
        alphabet_rules=tuple(
            (lang, alphabets[lang].script, alphabet_rules[lang]) for lang in sorted(alphabets)
        ),
    )


def run(work: WorkRecord, compiled: CompiledLanguage) -> None:
    """Decide the record's language tag, warn when the text disagrees, record confidence."""
    raw = work.values.get("language")
    declared = resolve_declared(raw, compiled.names)
    # a text repeated in another field (a title echoed as the body) is no new evidence
    texts = list(dict.fromkeys(t for t in map(work.text, FIELDS) if t and not t.isspace()))
    detection = compiled.detector.detect_fields(texts) if texts else None
    detected = _canonical_tag(detection.language) if detection else None
    tag, rule_id = _decide(work, raw, declared, detection, detected, compiled)
    if tag != raw:
        work.set("language", tag, rule_id)
        if rule_id == compiled.detect_rule and detection is not None:
            for lang, script, alphabet_rule in compiled.alphabet_rules:
                if lang == tag and script == detection.script:
                    work.fire(alphabet_rule)  # the alphabet that told close languages apart
            if detection.reason == "script" and compiled.scripts_rule:
                work.fire(compiled.scripts_rule)  # the only listed language of its script
    # the confidence is a figure the record carries (a note), not a change to one of its
    # fields: no rule fires for it and `undo` has nothing to restore
    kept = tag == raw and work.notes.get("language_confidence") is not None
    if detection is not None and detection.letters and not kept:
        work.note("language_confidence", detection.confidence)


def _decide(
    work: WorkRecord,
    raw: Any,
    declared: Any,
    detection: Detection | None,
    detected: str | None,
    compiled: CompiledLanguage,
) -> tuple[Any, str]:
    """The tag and the rule that decides it; warns where the text and the tag disagree."""
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
    elif work.notes.get("language_confidence") is not None:
        # a canonical record judged before (its warning is in its history): the text it
        # was judged on may since have lost its UI leftovers, so the judgement stands
        tag, rule_id = None, compiled.detect_rule
    else:
        tag, rule_id = None, compiled.detect_rule
        why = detection.reason if detection else "no title or text"
        guess = (
            f" (best guess {detection.best}, confidence {detection.confidence})"
            if (detection and detection.best)
            else ""
        )
        work.warn("language.uncertain", "language", f"language not detected: {why}{guess}")

    return tag, rule_id


def _last_id(rules: Any) -> str | None:
    return rules[-1].id if rules else None


def _word_settings(settings: dict[str, Any]) -> tuple[Any, Any]:
    """`word_lists` and `word_transliterations` (taken out of `settings`) as sorted tuples;
    each transliteration table longest source first, so that `lj` is read before `l`."""
    lists = tuple(sorted((str(k), str(v)) for k, v in settings.pop("word_lists", {}).items()))
    spellings = tuple(
        sorted(
            (str(lang), tuple(sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))))
            for lang, table in settings.pop("word_transliterations", {}).items()
        )
    )
    return lists, spellings


def _scripts(rules: Any) -> dict[str, tuple[str, ...]]:
    """Language → the scripts it is written in, from the `language-scripts` rules."""
    scripts: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        for tag, listed in rule.spec["written_in"].items():
            written = (listed,) if isinstance(listed, str) else tuple(listed)
            scripts[primary_subtag(tag) or tag] = written
    return scripts


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
    """The detector `rules/languages.yaml` configures (for `detector.detect` without one)."""
    if not _DEFAULT:
        with _DEFAULT_LOCK:
            if not _DEFAULT:
                from normalize.ruleset import default_rules_dir, load_rule_file, ruleset_digest

                path = default_rules_dir() / "languages.yaml"
                rules = tuple(load_rule_file(path, KINDS))
                ruleset = RuleSet(rules=rules, sources=(str(path),), digest=ruleset_digest(rules))
                _DEFAULT.append(compile(ruleset).detector)
    return _DEFAULT[0]
