"""The rule engine: load, validate and hash YAML rule files.

Rule files may come from untrusted repositories (pre-commit), so they are read with
`yaml.safe_load` only; line numbers come from `yaml.compose` (which builds nodes and runs
no constructors). A malformed file is refused here, at load time, with `path:line: reason`.
Stages never read YAML: they get the validated `Rule` values and compile what they need.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from normalize.regex_safety import backtracking_risk, patterns_of

try:  # the C loader is much faster; both are safe loaders
    _SafeLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader

RULE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
GENERIC_KEYS = {"id", "kind", "description", "fields", "languages", "sources", "examples"}


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
class KindSpec:
    """What a rule kind requires and allows, and how its values are checked.

    `check` receives the rule's kind-specific mapping and raises ValueError (or returns a
    `(key, reason)` pair through KindError) when a value is wrong.
    """

    stage: str
    required: Mapping[str, type | tuple[type, ...]]
    optional: Mapping[str, type | tuple[type, ...]] = field(default_factory=dict)
    default_fields: tuple[str, ...] = ("text",)
    check: Callable[[Mapping[str, Any]], None] | None = None


class KindError(ValueError):
    """Raised by a KindSpec.check; `key` says which key is wrong."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


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


def default_rules_dir() -> Path:
    """The rules shipped with the package: inside the wheel, or beside a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"


def rule_files(directory: Path) -> list[Path]:
    """Every YAML file under a directory, in a stable order."""
    if not directory.is_dir():
        raise RuleFileError(str(directory), 0, "rule directory not found")
    return sorted(
        (p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: p.relative_to(directory).as_posix(),
    )


def load_ruleset(
    directories: Sequence[str | Path] = (),
    kinds: Mapping[str, KindSpec] | None = None,
    include_default: bool = True,
) -> RuleSet:
    """Load the default rules and then each extra directory; later ids replace earlier ones."""
    if kinds is None:
        from normalize.stages import rule_kinds

        kinds = rule_kinds()
    dirs = [default_rules_dir()] if include_default else []
    dirs.extend(Path(d) for d in directories)
    by_id: dict[str, Rule] = {}
    files: list[str] = []
    for directory in dirs:
        seen_here: dict[str, Rule] = {}
        for path in rule_files(directory):
            files.append(str(path))
            for rule in load_rule_file(path, kinds):
                if rule.id in seen_here:
                    first = seen_here[rule.id]
                    raise RuleFileError(
                        rule.path,
                        rule.line,
                        f"duplicate rule id {rule.id!r} (first at {first.location})",
                    )
                seen_here[rule.id] = rule
                by_id.pop(rule.id, None)  # an override takes the new file's position
                by_id[rule.id] = rule
    rules = tuple(by_id.values())
    return RuleSet(rules=rules, sources=tuple(files), digest=ruleset_digest(rules))


def ruleset_digest(rules: Iterable[Rule]) -> str:
    """A short hash of everything that decides behaviour (not file paths or line numbers)."""
    payload = [
        {
            "id": r.id,
            "kind": r.kind,
            "fields": r.fields,
            "languages": r.languages,
            "sources": r.sources,
            "spec": r.spec,
        }
        for r in rules
    ]
    blob = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def load_rule_file(path: Path, kinds: Mapping[str, KindSpec]) -> list[Rule]:
    """Parse and validate one rule file."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(where, 0, f"cannot read rule file: {exc}") from exc
    try:
        node, data = _safe_load_with_nodes(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise RuleFileError(where, line, f"invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if data is None:
        raise RuleFileError(where, 1, "empty rule file")
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise RuleFileError(where, 1, "a rule file is a mapping with a `rules` list")
    unknown = set(data) - {"rules", "defaults"}
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise RuleFileError(where, _key_line(node, key), f"unknown top-level key {key!r}")
    rules_data = data.get("rules")
    rules_node = _value_node(node, "rules")
    if not isinstance(rules_data, list) or not isinstance(rules_node, yaml.SequenceNode):
        raise RuleFileError(where, _key_line(node, "rules"), "`rules` must be a list of rules")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise RuleFileError(where, _key_line(node, "defaults"), "`defaults` must be a mapping")
    bad_default = set(defaults) - {"fields", "languages", "sources"}
    if bad_default:
        key = sorted(map(str, bad_default))[0]
        raise RuleFileError(where, _key_line(node, "defaults"), f"`defaults` cannot set {key!r}")
    rules = []
    for item, item_node in zip(rules_data, rules_node.value, strict=True):
        rules.append(_build_rule(item, item_node, defaults, where, kinds))
    return rules


def _build_rule(
    item: Any,
    node: yaml.Node,
    defaults: Mapping[str, Any],
    where: str,
    kinds: Mapping[str, KindSpec],
) -> Rule:
    line = node.start_mark.line + 1
    if not isinstance(item, dict):
        raise RuleFileError(where, line, "a rule must be a mapping")

    def fail(key: str | None, reason: str) -> RuleFileError:
        at = _key_line(node, key) if key else line
        rid = item.get("id")
        prefix = f"rule {rid!r}: " if isinstance(rid, str) else ""
        return RuleFileError(where, at, prefix + reason)

    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
        raise fail(
            "id" if "id" in item else None, "every rule needs an `id` like `ui.en.subscribe`"
        )
    description = item.get("description")
    if not isinstance(description, str) or not description.strip():
        raise fail("description" if "description" in item else None, "missing `description`")
    kind = item.get("kind")
    if kind not in kinds:
        known = ", ".join(sorted(kinds))
        raise fail("kind" if "kind" in item else None, f"unknown kind {kind!r} (known: {known})")
    kind = str(kind)  # (a key of `kinds`)
    spec = kinds[kind]
    unknown = set(item) - GENERIC_KEYS - set(spec.required) - set(spec.optional)
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise fail(key, f"unknown key {key!r} for kind {kind!r}")
    for key, typ in spec.required.items():
        if key not in item:
            raise fail(None, f"kind {kind!r} requires `{key}`")
        if not isinstance(item[key], typ):
            raise fail(key, f"`{key}` must be {_type_name(typ)}")
    for key, typ in spec.optional.items():
        if key in item and not isinstance(item[key], typ):
            raise fail(key, f"`{key}` must be {_type_name(typ)}")
    scope: dict[str, tuple[str, ...]] = {}
    for key in ("fields", "languages", "sources"):
        value = item.get(key, defaults.get(key, []))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(key, f"`{key}` must be a list of strings")
        scope[key] = tuple(value)
    fields = scope["fields"] or spec.default_fields
    kind_values = {k: v for k, v in item.items() if k in spec.required or k in spec.optional}
    if spec.check is not None:
        try:
            spec.check(kind_values)
        except KindError as exc:
            raise fail(exc.key, str(exc)) from None
        except (ValueError, re.error) as exc:
            raise fail(None, str(exc)) from None
    for pattern in patterns_of(kind_values):
        risk = backtracking_risk(pattern)
        if risk:
            raise fail(None, risk)
    examples = _build_examples(
        item.get("examples"), _value_node(node, "examples"), fields, where, fail
    )
    return Rule(
        id=rule_id,
        kind=kind,
        description=description.strip(),
        path=where,
        line=line,
        fields=fields,
        languages=scope["languages"],
        sources=scope["sources"],
        spec=kind_values,
        examples=examples,
    )


def _build_examples(
    value: Any,
    node: yaml.Node | None,
    fields: tuple[str, ...],
    where: str,
    fail: Callable[..., RuleFileError],
) -> tuple[Example, ...]:
    if not isinstance(value, list) or not value or not isinstance(node, yaml.SequenceNode):
        raise fail(
            "examples" if node is not None else None, "every rule needs a list of `examples`"
        )
    target = fields[0]
    examples = []
    for entry, entry_node in zip(value, node.value, strict=True):
        eline = entry_node.start_mark.line + 1
        if not isinstance(entry, dict) or "input" not in entry or "expected" not in entry:
            raise RuleFileError(where, eline, "an example is a mapping with `input` and `expected`")
        raw_in, raw_out = entry["input"], entry["expected"]
        record = {target: raw_in} if isinstance(raw_in, str) else raw_in
        expected = {target: raw_out} if isinstance(raw_out, str | type(None)) else raw_out
        if not isinstance(record, dict) or not isinstance(expected, dict):
            raise RuleFileError(
                where, eline, "example `input`/`expected` must be text or a mapping"
            )
        examples.append(Example(input=record, expected=expected, line=eline))
    return tuple(examples)


def _safe_load_with_nodes(text: str) -> tuple[yaml.Node | None, Any]:
    """What `yaml.safe_load` does, keeping the node tree for line numbers (one parse)."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _value_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for key_node, value_node in mapping.value:
            if getattr(key_node, "value", None) == key:
                return value_node
    return None


def _key_line(mapping: yaml.Node, key: str) -> int:
    if isinstance(mapping, yaml.MappingNode):
        for key_node, _ in mapping.value:
            if getattr(key_node, "value", None) == key:
                return key_node.start_mark.line + 1
    return mapping.start_mark.line + 1


def _type_name(typ: type | tuple[type, ...]) -> str:
    names = {str: "text", list: "a list", dict: "a mapping", bool: "true/false", int: "a number"}
    if isinstance(typ, tuple):
        return " or ".join(names.get(t, t.__name__) for t in typ)
    return names.get(typ, typ.__name__)
