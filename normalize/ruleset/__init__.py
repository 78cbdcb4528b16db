"""The rule engine: load, validate and hash YAML rule files.

Rule files may come from untrusted repositories (pre-commit), so they are read with
`yaml.safe_load` only; line numbers come from `yaml.compose` (which builds nodes and runs
no constructors). A malformed file is refused here, at load time, with `path:line: reason`.
Stages never read YAML: they get the validated `Rule` values and compile what they need.

The pieces: `model` (the values), `kinds` (what a kind requires, checking a rule against
it), `building` (one rule's mapping → `Rule`), `loading` (directories, files, digest),
`yaml_nodes` (values with line numbers). Import the names from here.
"""

from __future__ import annotations

from normalize.ruleset.building import RULE_ID_RE
from normalize.ruleset.kinds import GENERIC_KEYS, KindError, KindSpec
from normalize.ruleset.loading import (
    default_rules_dir,
    load_rule_file,
    load_ruleset,
    rule_files,
    ruleset_digest,
)
from normalize.ruleset.model import Example, Rule, RuleFileError, RuleSet

__all__ = [
    "GENERIC_KEYS",
    "RULE_ID_RE",
    "Example",
    "KindError",
    "KindSpec",
    "Rule",
    "RuleFileError",
    "RuleSet",
    "default_rules_dir",
    "load_rule_file",
    "load_ruleset",
    "rule_files",
    "ruleset_digest",
]
