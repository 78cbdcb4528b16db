"""metanorm: multilingual metadata normalizer for scraped text records.

    from normalize import Normalizer
    n = Normalizer()                  # default rules; Normalizer(rules=["my_rules/"])
    record = n.normalize({"title": "…", "date": "28.01.2022", "text": "…"})
    story = n.explain(record)         # Explained: output, changes (steps), warnings

What a user touches is exported here: `Normalizer`, its `Explained` results, their
`Change` steps and `Finding` warnings, and the errors to catch (`RuleFileError` for a
refused rule file, `InputFileError` for an input file that cannot be read, `NotAudited` for `undo` of a record
written without `--audit`, `ReplayError` when steps do not rebuild a value).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Change",
    "Explained",
    "Finding",
    "InputFileError",
    "Normalizer",
    "NotAudited",
    "ReplayError",
    "RuleFileError",
    "__version__",
]

if TYPE_CHECKING:
    from normalize.findings import Change, Finding
    from normalize.jsonl import InputFileError
    from normalize.normalizer import Explained, Normalizer
    from normalize.ruleset import RuleFileError
    from normalize.undo import NotAudited
    from normalize.work import ReplayError

# where each public name lives; imported on first use, so that `metanorm --help` starts fast
_HOMES = {
    "Change": "normalize.findings",
    "Finding": "normalize.findings",
    "InputFileError": "normalize.jsonl",
    "Explained": "normalize.normalizer",
    "Normalizer": "normalize.normalizer",
    "RuleFileError": "normalize.ruleset",
    "NotAudited": "normalize.undo",
    "ReplayError": "normalize.work",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'normalize' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
