"""HTML bodies → plain text, and lone character references → characters.

A scraped `text` (or title, summary) may be the page's HTML: `<p>Он сказал&nbsp;&mdash;
нет.</p>`, sometimes with JSON's escaped slashes left in (`<\\/p>`). It becomes the text a
reader sees: each block element a line, `<br>` a line break, character references decoded,
scripts and styles dropped, whitespace collapsed as a browser does; nothing else changes.
Parsing is lexbor's (selectolax), chosen by `bench/html.py` on speed and fidelity.

Detection is a cheap gate: a known tag name after `<` (or `<\\/`), found by one regex
search, only in texts that hold a `<` at all. A text with character references and no tag
keeps its lines and has only the references decoded (`Bang &amp; Olufsen`).
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from normalize.ruleset import KindError, KindSpec

NAME = "scraped"

BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "thead", "tfoot", "tr", "ul",
)  # fmt: skip
DROP_TAGS = ("script", "style", "template", "noscript")
BREAK_TAGS = ("br",)


def _check_tags(spec: Mapping[str, Any]) -> None:
    for key in ("blocks", "drop", "inline"):
        tags = spec.get(key, [])
        if not all(isinstance(t, str) and re.fullmatch(r"[a-z][a-z0-9-]*", t) for t in tags):
            raise KindError(key, f"`{key}` is a list of lower-case tag names")


KINDS = {
    "html-to-text": KindSpec(
        stage=NAME,
        required={"inline": list},
        optional={"blocks": list, "drop": list},
        default_fields=("text", "title", "summary"),
        check=_check_tags,
    ),
    "html-entities": KindSpec(stage=NAME, required={}, default_fields=("text", "title", "summary")),
}

# a named reference with its `;` (the legacy forms without one stay text: `AT&T`, `&copy`)
_NAMED = {name[:-1] for name in html.entities.html5 if name.endswith(";")}
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace: U+00A0 is a character, not space


@dataclass(frozen=True)
class HtmlRules:
    """The compiled `html-to-text` rule: its tag lists and its detection pattern."""

    rule_id: str
    fields: tuple[str, ...]
    blocks: frozenset[str]
    drop: frozenset[str]
    detect: re.Pattern[str]

    @classmethod
    def build(cls, rule_id: str, fields: Iterable[str], spec: Mapping[str, Any]) -> HtmlRules:
        blocks = frozenset(spec.get("blocks", BLOCK_TAGS))
        drop = frozenset(spec.get("drop", DROP_TAGS))
        names = sorted(blocks | drop | set(BREAK_TAGS) | set(spec["inline"]), key=len)
        detect = re.compile(
            r"<(?:\\?/)?(?:" + "|".join(reversed(names)) + r")(?=[\s/>])", re.IGNORECASE
        )
        return cls(rule_id, tuple(fields), blocks, drop, detect)

    def looks_like_html(self, text: str) -> bool:
        return "<" in text and self.detect.search(text) is not None

    def to_text(self, body: str) -> str:
        return html_to_text(body, self.blocks, self.drop)


DEFAULT_INLINE = ("a", "b", "i", "em", "strong", "span", "img", "font", "u", "sup", "sub", "small")
_DEFAULT = HtmlRules.build("html.to-text", ("text",), {"inline": DEFAULT_INLINE})


def looks_like_html(text: str) -> bool:
    """The gate with the default tag lists (for benchmarks and callers without rules)."""
    return _DEFAULT.looks_like_html(text)


def html_to_text(
    body: str, blocks: frozenset[str] = _DEFAULT.blocks, drop: frozenset[str] = _DEFAULT.drop
) -> str:
    """The text a reader sees: one line per block, `<br>` a break, empty lines dropped.

    Line breaks go in as text around each block and in place of each `<br>`, and lexbor
    then reads the body's text in one native pass (a Python walk over every node was
    slower: bench/html_bodies.py).
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(body.replace("<\\/", "</"))
    tree.strip_tags(sorted(drop))
    for node in tree.css(",".join(BREAK_TAGS)):
        node.replace_with("\n")
    for node in tree.css(_selector(blocks)):
        node.insert_before("\n")
        node.insert_after("\n")
    root = tree.body
    text = root.text(deep=True) if root is not None else ""
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=8)
def _selector(blocks: frozenset[str]) -> str:
    return ",".join(sorted(blocks))


def has_references(text: str) -> bool:
    return "&" in text and any(_known(m) for m in _REFERENCE.finditer(text))


def decode_references(text: str) -> str:
    """`&amp;` → `&`, `&#8212;` → `—`; unknown names and forms without `;` stay as written."""
    return _REFERENCE.sub(lambda m: html.unescape(m.group()) if _known(m) else m.group(), text)


def _known(match: re.Match[str]) -> bool:
    return match.group()[1] == "#" or match.group()[1:-1] in _NAMED
