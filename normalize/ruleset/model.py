"""The values a rule file becomes: `Rule` (with its `Example`s), `RuleSet`, `RuleFileError`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class RuleFileError(ValueError):
    """A rule file is malformed; the message starts with `path:line:`."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Example:
    """A rule's own test: a record in, the canonical fields expected out."""

    input: dict[str, Any]
    expected: dict[str, Any]
    line: int


@dataclass(frozen=True)
class Rule:
    """One validated rule. `spec` holds the kind-specific keys as written."""

    id: str
    kind: str
    description: str
    path: str
    line: int
    fields: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    spec: Mapping[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def applies_to_language(self, language: str | None) -> bool:
        """Unscoped rules apply everywhere; scoped ones when the language matches or is unknown."""
        if not self.languages or not language:
            return True
        primary = language.split("-")[0].lower()
        return any(lang.lower() in (language.lower(), primary) for lang in self.languages)

    def applies_to_source(self, source: str | None, host: str | None) -> bool:
        """Match a source name (case-folded) or the url's host (a domain or its subdomains)."""
        if not self.sources:
            return True
        name = (source or "").strip().casefold()
        for wanted in self.sources:
            key = wanted.casefold()
            if name and name == key:
                return True
            if host and (host == key or host.endswith("." + key)):
                return True
        return False


@dataclass(frozen=True)
class RuleSet:
    """All rules in effect, in load order (later files override earlier ones by id)."""

    rules: tuple[Rule, ...]
    sources: tuple[str, ...]
    digest: str

    def of_kind(self, *kinds: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.kind in kinds]

    def by_id(self, rule_id: str) -> Rule | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None
