"""The working record that flows through the stages.

Stages read and write canonical values here, and every write names the rule that made
it, so `fired`, `explain` and `--audit` all come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from normalize.findings import Change, Warning


@dataclass
class WorkRecord:
    """Canonical values being normalized, plus what happened to them."""

    values: dict[str, Any]
    audit: bool = False
    fired: list[str] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    captured: dict[str, tuple[Any, str]] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> WorkRecord:
        """An independent copy (values are replaced, never mutated, except `meta`)."""
        values = dict(self.values)
        if isinstance(values.get("meta"), dict):
            values["meta"] = dict(values["meta"])
        return WorkRecord(
            values=values,
            audit=self.audit,
            fired=list(self.fired),
            warnings=list(self.warnings),
            changes=list(self.changes),
            captured=dict(self.captured),
            hints={k: (dict(v) if isinstance(v, dict) else v) for k, v in self.hints.items()},
        )

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        """The field's value when it is text; stages only rewrite text."""
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def set(self, name: str, value: Any, rule_id: str) -> None:
        """Replace a field's value on behalf of a rule (no-op when nothing changes)."""
        before = self.values.get(name)
        if before == value and type(before) is type(value):
            return
        self.values[name] = value
        self.fire(rule_id)
        self.changes.append(Change(name, rule_id, before, value))

    def fire(self, rule_id: str) -> None:
        if rule_id not in self.fired:
            self.fired.append(rule_id)

    def warn(self, code: str, field_name: str | None, message: str) -> None:
        warning = Warning(code, field_name, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def capture(self, name: str, value: Any, rule_id: str) -> None:
        """Remember metadata a rule found (the first capture wins), for a later stage."""
        self.captured.setdefault(name, (value, rule_id))

    @property
    def host(self) -> str | None:
        """The url's host without `www.` (rules scoped by source ask for it many times)."""
        url = self.values.get("url")
        if not isinstance(url, str):
            return None
        return _host(url)

    @property
    def source(self) -> str | None:
        value = self.values.get("source")
        return value if isinstance(value, str) else None

    @property
    def language(self) -> str | None:
        """The record's language: decided by the language stage, before the stages that
        are scoped by it (until then, the declared value as given)."""
        value = self.values.get("language")
        return value if isinstance(value, str) else None


@lru_cache(maxsize=1024)
def _host(url: str) -> str | None:
    if "://" not in url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if host and host.startswith("www."):
        host = host[4:]
    return host
