"""The pipeline's stages, in order. Each is a module with the same small interface:

- `NAME`: the stage's name;
- `KINDS`: the rule kinds it owns (`normalize.ruleset.KindSpec`);
- `READS`: the record values its work depends on (canonical fields, `language_confidence`,
  `captured.<field>` for metadata a rule found for a later stage);
- `WRITES`: the values it decides; `EDITS` (optional): the texts it rewrites in place
  (repairs, trims, renames), which earlier stages may read before them;
- `compile(ruleset) -> compiled`: build what the stage needs from its rules, once;
  the result must pickle (Normalizers travel to worker processes);
- `run(work, compiled) -> None`: normalize one `WorkRecord` in place.

Each stage runs once per record, in `STAGE_NAMES` order, and the order is checked against
the declarations (`check_order`): no stage reads a value that a later stage decides. So the
language is decided on the repaired text, before the stages scoped by it, and the texts it
read may still lose UI leftovers or have places renamed afterwards.

Adding a stage is a new module here, its rule files, and one line in `STAGE_NAMES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType

from normalize.memo import Memo
from normalize.ruleset import KindSpec

# One stage a line, in pipeline order (record assembly follows).
STAGE_NAMES: tuple[str, ...] = (
    "scraped",
    "text_repair",
    "ui_titles",
    "language",
    "ui_strings",
    "places",
    "dates",
)


def _import_stage(name: str) -> ModuleType:
    return importlib.import_module(f"normalize.stages.{name}")


stage_module: Memo[str, ModuleType] = Memo(_import_stage, limit=64, name="stage_module")


def stage_modules() -> list[ModuleType]:
    return [stage_module(name) for name in STAGE_NAMES]


def check_order(names: Sequence[str] = STAGE_NAMES) -> None:
    """Refuse an order in which a stage reads what a later stage decides (it would need a
    second pass), or a stage that does not declare what it reads and writes."""
    modules = [stage_module(name) for name in names]
    for module in modules:
        for attribute in ("READS", "WRITES"):
            if not isinstance(getattr(module, attribute, None), frozenset):
                raise RuntimeError(f"stage {module.NAME!r} does not declare {attribute}")
    for i, module in enumerate(modules):
        for later in modules[i + 1 :]:
            clash = module.READS & later.WRITES
            if clash:
                raise RuntimeError(
                    f"stage {module.NAME!r} reads {sorted(clash)}, which the later stage"
                    f" {later.NAME!r} writes: put {later.NAME!r} first"
                )


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
