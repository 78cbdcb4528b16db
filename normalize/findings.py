"""Small typed values that stages produce: changes and warnings.

They are turned into text only at the edge (the CLI, `explain`, the output record).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    """One rule changed one field: what it was before and what it became."""

    field: str
    rule_id: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "rule": self.rule_id,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Warning:
    """Something a user should look at; the value was kept or a choice was made."""

    code: str
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "field": self.field, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Warning:
        return cls(str(data.get("code", "")), data.get("field"), str(data.get("message", "")))
