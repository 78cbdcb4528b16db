"""UI strings: remove the site's own words that scraping left in the text.

Works on whole lines, never inside prose: a line is UI when it equals a listed string
(case-folded), matches a rule's line pattern in full, belongs to a multi-line block (a
related-article card, a masthead, a footer), repeats the headline at the top, or is a
trailer (`<caption> - Sputnik International, 1920, 28.01.2022`) from which metadata is
captured before the line goes. Short lines in a script foreign to the document that no
rule lists are kept and reported (`ui.suspect`).

Speed: the rules that apply to a kind of record (field, language, source) are gathered
once into a `Scope`; per line, an exact line costs a dictionary lookup (prose is ruled out
by its first word), and the patterns run only on the few lines a `Gate` lets through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule, RuleSet
from normalize.scripts import dominant_script
from normalize.work import WorkRecord

NAME = "ui_strings"
CAPTURABLE = ("source", "published")


def line_key(line: str) -> str:
    """How exact UI lines are compared: case-folded, inner whitespace collapsed.

    `str.split()` splits on exactly what `\\s` matches, so this is `\\s+` → one space, and
    much faster than the regex on long lines.
    """
    return " ".join(line.split()).casefold()


def _compile_pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def _check_capture(spec: Mapping[str, Any], patterns: list[str]) -> None:
    capture = spec.get("capture", [])
    for name in capture:
        if name not in CAPTURABLE:
            raise KindError("capture", f"can capture only {', '.join(CAPTURABLE)}, not {name!r}")
        group = "date" if name == "published" else name
        if not any(f"(?P<{group}>" in p for p in patterns):
            raise KindError("capture", f"capturing {name!r} needs a named group (?P<{group}>…)")


def _check_lines(spec: Mapping[str, Any]) -> None:
    if not spec["lines"] or not all(isinstance(s, str) and s.strip() for s in spec["lines"]):
        raise KindError("lines", "`lines` must be a non-empty list of non-empty strings")


def _check_pattern(spec: Mapping[str, Any]) -> None:
    try:
        _compile_pattern(spec["pattern"], spec.get("ignore_case", False))
    except re.error as exc:
        raise KindError("pattern", f"invalid regular expression: {exc}") from None
    _check_capture(spec, [spec["pattern"]])


def _block_items(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = []
    for item in spec["sequence"]:
        if isinstance(item, str):
            item = {"pattern": item}
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
            raise KindError("sequence", "each step is a pattern, or {pattern: …, optional: true}")
        unknown = set(item) - {"pattern", "optional"}
        if unknown:
            raise KindError("sequence", f"unknown key {sorted(unknown)[0]!r} in a block step")
        items.append({"pattern": item["pattern"], "optional": bool(item.get("optional", False))})
    return items


def _check_block(spec: Mapping[str, Any]) -> None:
    items = _block_items(spec)
    if not items or all(item["optional"] for item in items):
        raise KindError("sequence", "a block needs at least one step that is not optional")
    for item in items:
        try:
            _compile_pattern(item["pattern"], spec.get("ignore_case", False))
        except re.error as exc:
            raise KindError("sequence", f"invalid regular expression: {exc}") from None
    _check_capture(spec, [item["pattern"] for item in items])


def _check_suspect(spec: Mapping[str, Any]) -> None:
    if spec["max_words"] < 1:
        raise KindError("max_words", "`max_words` must be at least 1")
    share = spec.get("min_share", 0.8)
    if not isinstance(share, int | float) or not 0 < share <= 1:
        raise KindError("min_share", "`min_share` is a number in (0, 1]")


_CAPTURE_KEYS = {"capture": list, "ignore_case": bool}
KINDS = {
    "ui-lines": KindSpec(stage=NAME, required={"lines": list}, check=_check_lines),
    "ui-pattern": KindSpec(
        stage=NAME, required={"pattern": str}, optional=_CAPTURE_KEYS, check=_check_pattern
    ),
    "ui-block": KindSpec(
        stage=NAME, required={"sequence": list}, optional=_CAPTURE_KEYS, check=_check_block
    ),
    "ui-headline-repeat": KindSpec(stage=NAME, required={}),
    "ui-suspect": KindSpec(
        stage=NAME,
        required={"max_words": int},
        optional={"min_share": (int, float)},
        check=_check_suspect,
    ),
}


@dataclass(frozen=True)
class LineRule:
    """A compiled pattern or block rule, with its scope."""

    rule: Rule
    steps: tuple[tuple[re.Pattern[str], bool], ...]  # (pattern, optional)
    capture: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """The rules that apply to one field of one kind of record, prepared for the line loop.

    Records share a few (field, language, source, host) combinations, so the scope checks
    and the gate are done once per combination instead of once per line.
    """

    exact: dict[str, str]  # line key → id of the first applicable rule listing it
    longest_key: int  # no line whose key is longer can be an exact UI line
    first_words: frozenset[str]  # the first word of every key (folding goes word by word)
    blocks: tuple[LineRule, ...]
    patterns: tuple[LineRule, ...]
    gate: Gate | None  # None: every line is a candidate
    headline: str | None  # rule id
    suspect: Rule | None

    @property
    def idle(self) -> bool:
        """Nothing applies: the field is left as it is."""
        return not (self.exact or self.blocks or self.patterns or self.headline or self.suspect)


_MAX_MEMO = 4096  # (field, language, source, host) combinations remembered; then start again


class _ScopeMemo:
    """Scopes by record (field, language, source, host), and by the rules that apply.

    Hosts are many but the sets of rules they select are few: each record costs a lookup,
    and only a combination of rules not seen before costs building a scope.
    """

    def __init__(self) -> None:
        self.by_record: dict[tuple[Any, ...], Scope] = {}
        self.by_rules: dict[tuple[Any, ...], Scope] = {}
        self.deciders: list[Rule] = []  # one rule per distinct (languages, sources)

    def __reduce__(self) -> tuple[type[_ScopeMemo], tuple[()]]:
        return (_ScopeMemo, ())  # pickles empty: workers rebuild what they use


@dataclass(frozen=True)
class Compiled:
    exact: dict[str, tuple[Rule, ...]]  # line key → rules listing it
    blocks: tuple[LineRule, ...]  # multi-step blocks, tried first
    patterns: tuple[LineRule, ...]  # one-line patterns (trailers among them)
    headline: Rule | None
    suspect: Rule | None
    memo: _ScopeMemo = field(default_factory=_ScopeMemo, compare=False, repr=False)

    def scope(
        self, field_name: str, language: str | None, source: str | None, host: str | None
    ) -> Scope:
        """The rules for one field of records like this one (memoized)."""
        key = (field_name, language, source, host)
        found = self.memo.by_record.get(key)
        if found is None:
            if len(self.memo.by_record) >= _MAX_MEMO:
                self.memo.by_record.clear()
            found = self.memo.by_record[key] = self._scope_of(*key)
        return found

    def _scope_of(
        self, field_name: str, language: str | None, source: str | None, host: str | None
    ) -> Scope:
        # a rule's scope depends on its languages and sources only: decide each once
        deciders = self.memo.deciders or self._deciders()
        languages = {r.languages for r in deciders if r.applies_to_language(language)}
        sources = {r.sources for r in deciders if r.applies_to_source(source, host)}
        key = (field_name, frozenset(languages), frozenset(sources))
        found = self.memo.by_rules.get(key)
        if found is None:

            def applies(rule: Rule) -> bool:
                return (
                    field_name in rule.fields
                    and rule.languages in languages
                    and rule.sources in sources
                )

            found = self.memo.by_rules[key] = _build_scope(self, field_name, applies)
        return found

    def _deciders(self) -> list[Rule]:
        rules = [r.rule for r in self.blocks + self.patterns]
        rules += [r for rules in self.exact.values() for r in rules]
        rules += [r for r in (self.headline, self.suspect) if r is not None]
        distinct = {(r.languages, r.sources): r for r in rules}
        self.memo.deciders[:] = distinct.values()
        return self.memo.deciders


def compile(ruleset: RuleSet) -> Compiled:
    exact: dict[str, list[Rule]] = {}
    blocks: list[LineRule] = []
    patterns: list[LineRule] = []
    for rule in ruleset.of_kind("ui-lines"):
        for line in rule.spec["lines"]:
            exact.setdefault(line_key(line), []).append(rule)
    for rule in ruleset.of_kind("ui-block", "ui-pattern"):
        ignore_case = rule.spec.get("ignore_case", False)
        if rule.kind == "ui-pattern":
            raw_steps = [{"pattern": rule.spec["pattern"], "optional": False}]
        else:
            raw_steps = _block_items(rule.spec)
        steps = tuple(
            (_compile_pattern(s["pattern"], ignore_case), s["optional"]) for s in raw_steps
        )
        compiled = LineRule(rule, steps, tuple(rule.spec.get("capture", ())))
        (blocks if len(steps) > 1 else patterns).append(compiled)
    headline = ruleset.of_kind("ui-headline-repeat")
    suspect = ruleset.of_kind("ui-suspect")
    return Compiled(
        exact={key: tuple(rules) for key, rules in exact.items()},
        blocks=tuple(blocks),
        patterns=tuple(patterns),
        headline=headline[-1] if headline else None,
        suspect=suspect[-1] if suspect else None,
    )


def _build_scope(compiled: Compiled, field_name: str, applies: Callable[[Rule], bool]) -> Scope:
    exact: dict[str, str] = {}
    for key, rules in compiled.exact.items():
        first = next((rule for rule in rules if applies(rule)), None)
        if first is not None:
            exact[key] = first.id
    blocks = tuple(b for b in compiled.blocks if applies(b.rule))
    patterns = tuple(p for p in compiled.patterns if applies(p.rule))
    headline = compiled.headline
    suspect = compiled.suspect
    return Scope(
        exact=exact,
        longest_key=max(map(len, exact), default=0),
        first_words=frozenset(key.split(" ")[0] for key in exact),
        blocks=blocks,
        patterns=patterns,
        gate=_gate(blocks, patterns),
        headline=headline.id if field_name == "text" and headline and applies(headline) else None,
        suspect=suspect if field_name == "text" and suspect and applies(suspect) else None,
    )


@dataclass(frozen=True)
class Gate:
    """Which lines a block may start at or a pattern may match: a cheap superset.

    The first line of a match fullmatches one of a few head patterns (a pattern rule's own,
    a block's steps up to its first required one). They are combined into one alternation
    per required piece of text (`1920` for the trailers; most patterns need none).
    A line is a candidate when it holds the piece and fullmatches the alternation, so the
    regexes that scan a whole line (`.{0,600}?…`) run only where the piece is.
    """

    plain: re.Pattern[str] | None  # the heads that need no piece of text
    guarded: tuple[tuple[str, re.Pattern[str]], ...]  # (piece, heads that need it)

    def candidates(self, lines: list[str]) -> list[int]:
        """The indexes of the candidate lines, in order."""
        if not self.guarded and self.plain is not None:
            fullmatch = self.plain.fullmatch
            return [i for i, line in enumerate(lines) if fullmatch(line)]
        found: set[int] = set()
        if self.plain is not None:
            fullmatch = self.plain.fullmatch
            found.update(i for i, line in enumerate(lines) if fullmatch(line))
        for piece, pattern in self.guarded:
            fullmatch = pattern.fullmatch
            found.update(i for i, line in enumerate(lines) if piece in line and fullmatch(line))
        return sorted(found)


_MIN_PIECE = 3  # a shorter piece of text is not worth a pass of its own over the lines


def _gate(blocks: tuple[LineRule, ...], patterns: tuple[LineRule, ...]) -> Gate | None:
    """The gate of these rules; None when a pattern cannot join an alternation."""
    heads: list[re.Pattern[str]] = [p.steps[0][0] for p in patterns]
    for block in blocks:
        for pattern, optional in block.steps:
            heads.append(pattern)
            if not optional:
                break
    groups: dict[str, list[str]] = {}
    for pattern in sorted(heads, key=lambda p: len(_required_text(p))):
        part = _alternative(pattern)
        if part is None:
            return None
        needed = _required_text(pattern)
        if len(needed) < _MIN_PIECE:
            needed = ""
        shared = next((piece for piece in groups if piece and piece in needed), needed)
        groups.setdefault(shared, []).append(part)
    try:
        compiled = {piece: re.compile("|".join(parts)) for piece, parts in groups.items()}
    except re.error:
        return None
    plain = compiled.pop("", None)
    return Gate(plain, tuple(compiled.items()))


def _required_text(pattern: re.Pattern[str]) -> str:
    """The longest run of plain characters in the pattern's top-level sequence: every match
    contains it. '' when there is none, case is ignored, or the pattern cannot be read."""
    if pattern.flags & re.IGNORECASE:
        return ""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]  # internal: failures mean ''

        items = _parser.parse(pattern.pattern, pattern.flags).data
        best = run = ""
        for op, value in items:
            run = run + chr(value) if op is _constants.LITERAL else ""
            best = max(best, run, key=len)
    except Exception:  # any surprise only costs speed
        return ""
    return best


def _alternative(pattern: re.Pattern[str]) -> str | None:
    """The pattern as a group that can sit beside others, or None when it cannot.

    Flags set inside the pattern and back references would change meaning in an alternation.
    """
    own_flags = pattern.flags & ~re.UNICODE
    if own_flags & ~re.IGNORECASE:
        return None
    source = _without_group_names(pattern.pattern)
    if source is None:
        return None
    try:  # an inline global flag, e.g. `(?i)` at the start, shows up as a compile error
        re.compile(f"(?:{source})")
    except re.error:
        return None
    return f"(?{'i' if own_flags else ''}:{source})"


def _without_group_names(source: str) -> str | None:
    """`(?P<name>…)` → `(?:…)`, so patterns can share one regex; None for back references."""
    out: list[str] = []
    i, size, in_class = 0, len(source), False
    while i < size:
        char = source[i]
        if char == "\\":
            following = source[i + 1 : i + 2]
            if not in_class and following and following in "123456789":
                return None
            out.append(source[i : i + 2])
            i += 2
        elif in_class:
            in_class = char != "]"
            out.append(char)
            i += 1
        elif char == "[":
            in_class = True
            i += 1
            lead = "^" if source.startswith("^", i) else ""
            i += len(lead)
            if source.startswith("]", i):  # a `]` first in a class is a literal
                lead += "]"
                i += 1
            out.append("[" + lead)
        elif source.startswith("(?P<", i):
            end = source.find(">", i)
            if end < 0:
                return None
            out.append("(?:")
            i = end + 1
        elif source.startswith(("(?P=", "(?("), i):
            return None
        else:
            out.append(char)
            i += 1
    return "".join(out)


def run(work: WorkRecord, compiled: Compiled) -> None:
    language, source, host = work.language, work.source, work.host
    for field_name in ("text", "title"):
        text = work.text(field_name)
        if not text:
            continue
        scope = compiled.scope(field_name, language, source, host)
        if scope.idle:
            continue
        lines = text.split("\n")
        removed: list[str | None] = [None] * len(lines)
        candidates = _candidates(scope, lines)
        _mark_blocks(work, lines, removed, scope.blocks, candidates)
        _mark_lines(work, lines, removed, scope, candidates)
        if scope.headline:
            _mark_headline(lines, removed, work.text("title"), scope.headline)
        if any(removed):
            _apply(work, field_name, lines, removed)
        if scope.suspect:
            _warn_suspects(work, scope.suspect)
    _fill_source(work)


def _candidates(scope: Scope, lines: list[str]) -> range | list[int]:
    """The lines a block may start at or a pattern may match, in order."""
    if not (scope.blocks or scope.patterns):
        return []
    if scope.gate is None:
        return range(len(lines))
    return scope.gate.candidates(lines)


def _fill_source(work: WorkRecord) -> None:
    """A record without a source takes the one a masthead or trailer named."""
    captured = work.captured.get("source")
    if captured and work.get("source") in (None, ""):
        work.set("source", captured[0], captured[1])


def _mark_blocks(
    work: WorkRecord,
    lines: list[str],
    removed: list[str | None],
    blocks: tuple[LineRule, ...],
    candidates: range | list[int],
) -> None:
    for block in blocks:
        after = 0  # where the last match ended: a block never starts inside another
        for start in candidates:
            if start < after:
                continue
            end, groups = _match_block(block, lines, removed, start)
            if end is None:
                continue
            for i in range(start, end):
                removed[i] = block.rule.id
            _capture(work, block, groups)
            after = end


def _match_block(
    block: LineRule, lines: list[str], removed: list[str | None], start: int
) -> tuple[int | None, dict[str, str]]:
    pos = start
    groups: dict[str, str] = {}
    matched_any = False
    for pattern, optional in block.steps:
        match = None
        if pos < len(lines) and removed[pos] is None:
            match = pattern.fullmatch(lines[pos])
        if match is None:
            if optional:
                continue
            return None, {}
        groups.update({k: v for k, v in match.groupdict().items() if v})
        matched_any = True
        pos += 1
    return (pos if matched_any else None), groups


def _mark_lines(
    work: WorkRecord,
    lines: list[str],
    removed: list[str | None],
    scope: Scope,
    candidates: range | list[int],
) -> None:
    exact, longest, first_words = scope.exact, scope.longest_key, scope.first_words
    if exact:
        for i, line in enumerate(lines):
            if removed[i] is not None:
                continue
            if len(line) > longest:  # prose, mostly: its first word tells at little cost
                head = line.split(None, 1)
                if head and head[0].casefold() not in first_words:
                    continue
            key = " ".join(line.split())  # = line_key before case folding, which never
            if len(key) <= longest:  # makes a string shorter
                removed[i] = exact.get(key.casefold())
    for i in candidates:
        if removed[i] is not None:
            continue
        line = lines[i]
        for pattern in scope.patterns:
            match = pattern.steps[0][0].fullmatch(line)
            if match:
                removed[i] = pattern.rule.id
                _capture(work, pattern, {k: v for k, v in match.groupdict().items() if v})
                break


def _mark_headline(
    lines: list[str], removed: list[str | None], title: str | None, rule_id: str
) -> None:
    """The headline repeated above the text: the first line that no other rule removed."""
    if not title:
        return
    wanted = line_key(title)
    for i, line in enumerate(lines):
        if removed[i] is None:
            if line_key(line) == wanted:
                removed[i] = rule_id
            return


def _capture(work: WorkRecord, rule: LineRule, groups: dict[str, str]) -> None:
    for name in rule.capture:
        value = groups.get("date" if name == "published" else name)
        if value:
            work.capture(name, value.strip(), rule.rule.id)


def _apply(work: WorkRecord, field: str, lines: list[str], removed: list[str | None]) -> None:
    """Remove the marked lines, one rule at a time, so each change names its rule."""
    order = list(dict.fromkeys(r for r in removed if r is not None))
    gone: set[str] = set()
    for rule_id in order:
        gone.add(rule_id)
        kept = [line for line, by in zip(lines, removed, strict=True) if by not in gone]
        work.set(field, "\n".join(kept), rule_id)


def _warn_suspects(work: WorkRecord, rule: Rule) -> None:
    text = work.text("text") or ""
    max_words = rule.spec["max_words"]
    share = rule.spec.get("min_share", 0.8)
    document = None
    for line in text.split("\n"):
        if len(line.split(None, max_words)) > max_words:
            continue  # more than max_words words (splitting no further than needed to tell)
        line_script = dominant_script(line, share)
        if line_script is None:
            continue
        if document is None:
            document = dominant_script(text, share) or ""
        if document and line_script != document:
            work.warn(
                "ui.suspect",
                "text",
                f"short {line_script} line in a {document} text kept: {line!r}",
            )
