"""Loading rules: the rule directories, their files in a stable order, one file's rules, the digest.

A malformed file is refused here, at load time, with `path:line: reason`. Stages never
read YAML: they get the validated `Rule` values and compile what they need.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml

from normalize.ruleset.building import SCOPE_KEYS, build_rule
from normalize.ruleset.kinds import KindSpec
from normalize.ruleset.model import Rule, RuleFileError, RuleSet
from normalize.ruleset.yaml_nodes import key_line, safe_load_with_nodes, value_node

PACKAGE = Path(__file__).resolve().parents[1]  # normalize/


def default_rules_dir() -> Path:
    """The rules shipped with the package: inside the wheel, or beside a source checkout."""
    packaged = PACKAGE / "rules"
    if packaged.is_dir():
        return packaged
    return PACKAGE.parent / "rules"


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
        node, data = safe_load_with_nodes(text)
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
        raise RuleFileError(where, key_line(node, key), f"unknown top-level key {key!r}")
    rules_data = data.get("rules")
    rules_node = value_node(node, "rules")
    if not isinstance(rules_data, list) or not isinstance(rules_node, yaml.SequenceNode):
        raise RuleFileError(where, key_line(node, "rules"), "`rules` must be a list of rules")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise RuleFileError(where, key_line(node, "defaults"), "`defaults` must be a mapping")
    bad_default = set(defaults) - set(SCOPE_KEYS)
    if bad_default:
        key = sorted(map(str, bad_default))[0]
        raise RuleFileError(where, key_line(node, "defaults"), f"`defaults` cannot set {key!r}")
    return [
        build_rule(item, item_node, defaults, where, kinds)
        for item, item_node in zip(rules_data, rules_node.value, strict=True)
    ]
