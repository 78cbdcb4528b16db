"""Text repair: mojibake (ftfy, behind a cheap exact gate), legacy Cyrillic code pages, then
whitespace tidy.

Runs first, so that every later stage sees real text. Clean text comes out
byte-identical: ftfy is called only on lines it could change (see `ftfy_gate.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from normalize.ruleset import KindError, KindSpec, RuleSet
from normalize.stages.text_repair import legacy_kind
from normalize.stages.text_repair.ftfy_fix import FtfyFixer
from normalize.stages.text_repair.legacy_repair import LegacyRepairer, compile_repairer
from normalize.work import WorkRecord

NAME = "text_repair"
READS = frozenset({"title", "summary", "text"})  # bytes and whitespace, whatever the language
WRITES: frozenset[str] = frozenset()
EDITS = frozenset({"title", "summary", "text"})

FTFY_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "unescape_html": (bool, str),
    "remove_terminal_escapes": bool,
    "fix_encoding": bool,
    "restore_byte_a0": bool,
    "replace_lossy_sequences": bool,
    "decode_inconsistent_utf8": bool,
    "fix_c1_controls": bool,
    "fix_latin_ligatures": bool,
    "fix_character_width": bool,
    "uncurl_quotes": bool,
    "fix_line_breaks": bool,
    "fix_surrogates": bool,
    "remove_control_chars": bool,
    "normalization": (str, type(None)),
}


def _check_ftfy(spec: Mapping[str, Any]) -> None:
    for key, value in spec["settings"].items():
        if key not in FTFY_SETTINGS:
            raise KindError("settings", f"unknown ftfy setting {key!r}")
        if not isinstance(value, FTFY_SETTINGS[key]):
            raise KindError("settings", f"ftfy setting {key!r} has the wrong type")
    if spec["settings"].get("unescape_html") not in (None, True, False, "auto"):
        raise KindError("settings", "unescape_html is true, false or auto")
    if spec["settings"].get("normalization") not in (None, "NFC", "NFD", "NFKC", "NFKD"):
        raise KindError("settings", "normalization is NFC, NFD, NFKC, NFKD or null")


KINDS = {
    "ftfy": KindSpec(
        stage=NAME,
        required={"settings": dict},
        default_fields=("text", "title", "summary"),
        check=_check_ftfy,
    ),
    "whitespace": KindSpec(stage=NAME, required={}, default_fields=("text", "title", "summary")),
    **legacy_kind.KINDS,
}


@dataclass(frozen=True)
class Compiled:
    ftfy: tuple[str, tuple[str, ...], FtfyFixer] | None
    legacy: LegacyRepairer | None
    whitespace: tuple[str, tuple[str, ...]] | None


def compile(ruleset: RuleSet) -> Compiled:
    ftfy_rules = ruleset.of_kind("ftfy")
    ws_rules = ruleset.of_kind("whitespace")
    ftfy = None
    if ftfy_rules:
        rule = ftfy_rules[-1]
        ftfy = (rule.id, rule.fields, FtfyFixer(rule.spec["settings"]))
    whitespace = (ws_rules[-1].id, ws_rules[-1].fields) if ws_rules else None
    legacy = compile_repairer(ruleset.rules)
    return Compiled(ftfy=ftfy, legacy=legacy, whitespace=whitespace)


# Repairs change line structure (ftfy turns U+2028 into `\n`, tidy drops blank lines) and
# ftfy judges a line as a whole, so one more pass may find more to repair; passes repeat
# until nothing changes (idempotence: the output, normalized again, stays as it is).
MAX_PASSES = 4


# A field longer than this is repaired a chunk of whole lines at a time (the repairs are
# line-local), so that the stage's working copies are bounded by a chunk, not the field.
CHUNKED_ABOVE = 1 << 20  # characters
CHUNK = 1 << 18


def run(work: WorkRecord, compiled: Compiled) -> None:
    for field in ("title", "summary", "text"):
        value = work.text(field)
        if value is None:
            continue
        if len(value) > CHUNKED_ABOVE:
            _repair_in_chunks(work, field, compiled, value)
        else:
            _repair_field(work, field, compiled)


def line_chunks(text: str, size: int | None = None) -> Iterator[str]:
    """`text` cut at a newline about every `size` (default `CHUNK`) characters, the newline
    dropped: joined by "\n", the chunks are `text` again. (One at a time: a list of them
    would be one more copy of the field.)"""
    size = size or CHUNK
    start = 0
    while True:
        cut = text.find("\n", start + size)
        while cut > 0 and text[cut - 1] == "\r":  # keep a CRLF whole: ftfy reads it as one
            cut = text.find("\n", cut + 1)
        if cut < 0:
            yield text[start:]
            return
        yield text[start:cut]
        start = cut + 1


def _repair_in_chunks(work: WorkRecord, field: str, compiled: Compiled, value: str) -> None:
    """One large field, repaired chunk by chunk; one step from the input to the result,
    naming the first rule that acted (every rule that acted is in `fired`).

    The tidy drops blank lines and joins lines by a newline (a title's by a space), so the
    tidied chunks are joined the same way: the result is the whole field's."""
    fired: list[str] = []
    repaired = []
    for chunk in line_chunks(value):
        scratch = WorkRecord(values={field: chunk}, keep_steps=False)
        _repair_field(scratch, field, compiled)
        repaired.append(scratch.text(field) or "")
        fired.extend(rule for rule in scratch.fired if rule not in fired)
    if compiled.whitespace and field in compiled.whitespace[1]:
        result = (" " if field == "title" else "\n").join(part for part in repaired if part)
    else:
        result = "\n".join(repaired)
    fired.sort(key=_stage_order(compiled).index)
    if fired:
        work.set(field, result, fired[0], step="repaired in chunks of lines")
        for rule in fired[1:]:
            work.fire(rule)


def _stage_order(compiled: Compiled) -> list[str]:
    """The stage's rule ids in the order a pass runs them (legacy, ftfy, whitespace)."""
    order = [rule.id for rule in compiled.legacy.rules] if compiled.legacy is not None else []
    order += [entry[0] for entry in (compiled.ftfy, compiled.whitespace) if entry]
    return order


def _repair_field(work: WorkRecord, field: str, compiled: Compiled) -> None:
    """Repair passes over one field until nothing changes."""
    value = work.text(field) or ""
    settled: frozenset[str] = frozenset()
    clean: set[str] = set()  # segments the ftfy gate proved clean (a line's own property)
    for _ in range(MAX_PASSES):
        _repair_once(work, field, compiled, settled, clean)
        if work.text(field) == value:
            break
        settled = settled | frozenset(value.split("\n"))
        value = work.text(field) or ""


def _repair_once(
    work: WorkRecord, field: str, compiled: Compiled, settled: frozenset[str], clean: set[str]
) -> None:
    # legacy code pages first: ftfy's UTF-8 repairs would garble them past recovery
    if compiled.legacy is not None:
        for rule_id, repaired in compiled.legacy.repair(work.text(field) or "", settled):
            work.set(field, repaired, rule_id)
    if compiled.ftfy and field in compiled.ftfy[1]:
        rule_id, _, fixer = compiled.ftfy
        _, steps = fixer.fix_and_explain(work.text(field) or "", clean)
        for step, fixed in steps:  # ftfy's own steps, by name, each a change
            work.set(field, fixed, rule_id, step=step)
    if compiled.whitespace and field in compiled.whitespace[1]:
        current = work.text(field) or ""
        tidy = tidy_title(current) if field == "title" else tidy_text(current)
        work.set(field, tidy, compiled.whitespace[0])


def tidy_text(text: str) -> str:
    """Paragraphs separated by one newline; no blank lines; no spaces at line ends."""
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def tidy_title(title: str) -> str:
    """A title is one line."""
    return " ".join(line.strip() for line in title.split("\n") if line.strip())
