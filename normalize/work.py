"""The working record that flows through the stages, and the one door its changes go through.

Stages read canonical values here and change them only through `WorkRecord.set` (a field)
or `WorkRecord.set_meta` (one `meta` key). Each call is one step: a `Change` naming the
rule that made it, appended in order. So `fired`, `explain` and `--audit` all come from
one place, and `replay(start, changes)` rebuilds the values from the record as it was
split (the corpus test checks it on every record; `metanorm undo` walks the same steps
backwards).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from normalize.findings import Change, Finding
from normalize.memo import Memo


@dataclass
class WorkRecord:
    """Canonical values being normalized (with `meta`), plus what happened to them.

    `start` is the values as they came in (kept so that the steps can be replayed);
    `notes` are figures for the output's `normalization` block that are not changes
    (the language detector's confidence). With `keep_steps` off (a plain normalize, no
    audit) a step only names its rule in `fired`: its before and after are not kept, so
    that a large field is not held once per step (a 10 MB text and 20 steps would be
    20 copies).
    """

    values: dict[str, Any]
    audit: bool = False
    keep_steps: bool = True
    fired: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    captured: dict[str, tuple[Any, str]] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    start: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.start:
            self.start = _snapshot(self.values)

    def copy(self) -> WorkRecord:
        """An independent copy (values are replaced, never mutated)."""
        return WorkRecord(
            values=_snapshot(self.values),
            audit=self.audit,
            keep_steps=self.keep_steps,
            fired=list(self.fired),
            warnings=list(self.warnings),
            changes=list(self.changes),
            captured=dict(self.captured),
            hints={k: (dict(v) if isinstance(v, dict) else v) for k, v in self.hints.items()},
            notes=dict(self.notes),
            start=self.start,
        )

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        """The field's value when it is text; stages only rewrite text."""
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def set(self, name: str, value: Any, rule_id: str, step: str | None = None) -> None:
        """Replace a field's value on behalf of a rule: one step (none when nothing changes).

        `step` names the part of the rule that acted, when a rule runs several (ftfy's).
        """
        before = self.values.get(name)
        if before == value and type(before) is type(value):
            return
        self.values[name] = value
        self.fire(rule_id)
        if self.keep_steps:
            self.changes.append(Change(name, rule_id, before, value, step))

    def set_meta(self, key: str, value: Any, rule_id: str) -> None:
        """Set one key of `meta` on behalf of a rule: one step on the field `meta` (the
        dict is replaced, never mutated, so that every step keeps its own before and after)."""
        meta = self.values.get("meta")
        current = dict(meta) if isinstance(meta, dict) else {}
        if key in current and current[key] == value and type(current[key]) is type(value):
            return
        current[key] = value
        self.set("meta", current, rule_id)

    def fire(self, rule_id: str) -> None:
        """Record that a rule acted without changing a value (an alphabet that decided)."""
        if rule_id not in self.fired:
            self.fired.append(rule_id)

    def warn(self, code: str, field_name: str | None, message: str) -> None:
        warning = Finding(code, field_name, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def note(self, key: str, value: Any) -> None:
        """A figure for the output's `normalization` block (not a change of any field)."""
        self.notes[key] = value

    def capture(self, name: str, value: Any, rule_id: str) -> None:
        """Remember metadata a rule found (the first capture wins), for a later stage."""
        self.captured.setdefault(name, (value, rule_id))

    @property
    def host(self) -> str | None:
        """The url's host without `www.` (rules scoped by source ask for it many times)."""
        url = self.values.get("url")
        if not isinstance(url, str):
            return None
        return _HOSTS[url]

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


class ReplayError(ValueError):
    """A step's `before` is not the value the earlier steps left: a write bypassed the door."""


def replay(start: Mapping[str, Any], changes: Iterable[Change]) -> dict[str, Any]:
    """The values after applying `changes`, in order, to `start` (a `WorkRecord.start`).

    Each step must find the value it says it changed: a mismatch means some code wrote a
    value without a step, and the explanation would not tell the whole story.
    """
    values = _snapshot(start)
    for number, change in enumerate(changes, 1):
        current = values.get(change.field)
        if current != change.before or type(current) is not type(change.before):
            raise ReplayError(
                f"step {number} ({change.rule_id} on {change.field}): found {current!r}, "
                f"the step says {change.before!r}"
            )
        values[change.field] = change.after
    return values


def _snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy that later steps cannot alter (values are replaced, and `meta` is copied)."""
    copied = dict(values)
    if isinstance(copied.get("meta"), dict):
        copied["meta"] = dict(copied["meta"])
    return copied


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


_HOSTS: Memo[str, str | None] = Memo(_host, 1024, "work.host")
