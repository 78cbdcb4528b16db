"""Small typed values that stages produce: changes (the steps) and findings (warnings).

They are turned into text only at the edge (the CLI, `explain`, the output record).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    """One step: one rule changed one field, from `before` to `after`.

    `step` names the part of the rule that acted when the rule runs a library's own plan
    of steps (ftfy's `fix_and_explain`: `fix_encoding sloppy-windows-1252 → utf-8`).
    """

    field: str
    rule_id: str
    before: Any
    after: Any
    step: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {
            "field": self.field,
            "rule": self.rule_id,
            "before": self.before,
            "after": self.after,
        }
        if self.step is not None:
            data["step"] = self.step
        return data


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a user should look at (a warning); the value was kept or a choice was made."""

    code: str
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": self.message}


# The former name, for modules not yet moved to `Finding` (it shadowed the builtin).
Warning = Finding
