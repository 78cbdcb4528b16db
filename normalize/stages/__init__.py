"""The pipeline's stages, in order. Each is a module with the same small interface:

- `NAME`: the stage's name;
- `KINDS`: the rule kinds it owns (`normalize.ruleset.KindSpec`);
- `compile(ruleset) -> compiled`: build what the stage needs from its rules, once;
  the result must pickle (Normalizers travel to worker processes);
- `run(work, compiled) -> None`: normalize one `WorkRecord` in place;
- optionally `USES_LANGUAGE = False` for a stage whose work never depends on the language
  (the Normalizer re-runs the others when the language stage decides another language).

Adding a stage is a new module here, its rule files, and one line in `STAGE_NAMES`.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from normalize.ruleset import KindSpec

# scraped leftovers (HTML, debris) → text repair → UI strings → places → dates → language
# → record assembly
STAGE_NAMES: tuple[str, ...] = (
    "scraped",
    "text_repair",
    "ui_strings",
    "places",
    "dates",
    "language",
)


@cache
def stage_module(name: str) -> ModuleType:
    return importlib.import_module(f"normalize.stages.{name}")


def stage_modules() -> list[ModuleType]:
    return [stage_module(name) for name in STAGE_NAMES]


def rule_kinds() -> dict[str, KindSpec]:
    """Every rule kind any stage (or the record assembly) understands."""
    from normalize import record

    kinds: dict[str, KindSpec] = dict(record.KINDS)
    for module in stage_modules():
        for kind, spec in module.KINDS.items():
            if kind in kinds:
                raise RuntimeError(f"rule kind {kind!r} claimed twice")
            kinds[kind] = spec
    return kinds
