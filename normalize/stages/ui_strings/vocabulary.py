"""UI vocabulary: a short line made of page-furniture words is UI, whatever its exact words.

A list of UI lines never ends (`Accept cookies`, `Accept all cookies`, `Cookie settings`…),
but the words they are made of are few. A `ui-vocabulary` rule gives, for one language, the
UI words (`subscrib*` is a stem: any word that starts with it) and the filler words a button
may hold (`to`, `our`, `all`); a line is UI when it has the shape of a button or a label:

- short: at most `max_chars` characters and `max_words` words;
- no sentence: no `.`, `?`, `!` or `;` followed by more text, no quotation marks;
- UI words: at least one, and at least `min_share` of the words that are not filler;
- button-like: its first word is a UI word (an imperative, a label), or it has at most
  `max_label_words` words.

A button is often a general verb and a UI noun (`Leave a comment`, `Оставить комментарий`,
`Kommentar verfassen`): a first or last word that is a verb form — listed in `verbs`, or,
in languages that mark the infinitive or imperative, ending with one of `verb_endings`
(`-ть`, `-er`, `-en`) — counts as a UI word when another word of the line is one.

Prose that uses the same words is longer, punctuated as a sentence, or made mostly of
other words: `Readers who subscribe to the paper get the supplement.` stays. The shipped
lexicons are not scoped by language (pages mix languages: a German site's buttons around
an English article); a line must be made of one lexicon's words to go.

A `banner` (optional) recognises a consent banner, which is a sentence: a line that names
the thing (`cookie*`), speaks as the site to the reader (two distinct words of `we`, `our`,
`you`, `this site`…) and asks for consent (`agree`, `accept`, `use`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule
from normalize.stages.ui_strings.morphology import Morphology, Refusal, WordSet, fold

NAME = "ui_strings"

# words are runs of letters or of digits; apostrophes split them (`s'abonner`); a hyphen
# joins letters into one word, which a lexicon takes whole or as its parts (`най-четени`)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+")
# the sentence end of a labelled line's text (`Read also: <a headline>` has none)
_ENDS = re.compile(r"[.!;]\s+\w|(?<![.…])\.\s*$")
# a full stop (or `!`, `;`) with text after it, a full stop at the end, quotation marks:
# a question may prompt a button (`Already a subscriber? Log in`)
_SENTENCE = re.compile(r"[.!;]\s+\w|(?<![.…])\.\s*$|[\"«»“”„]")
# a menu or breadcrumb: items between bars, chevrons, bullets (a slash or `>` with spaces)
_MENU_SEPARATOR = re.compile(r"\s*[|›»•·∙→]\s*|\s+[/>]\s+")
_MENU_ITEM_WORDS = 3  # an item of a menu is a few words
_LABEL_CHARS = 40  # a label before `:` is a few words (`Sur le même sujet`)
_LABEL_WORDS = 4
_TRAILING = " \t:·|>›»→—–-•*"  # what a label may end with (`Share:`, `Read more ›`)


def _check_words(spec: Mapping[str, Any], key: str) -> None:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(w, str) and w.strip() and " " not in w.strip() for w in value
    ):
        raise KindError(
            key,
            f"`{key}` must be a list of single words, a stem ending with `*` "
            '(quote words YAML reads otherwise: "on", "no", "yes")',
        )


def _check_vocabulary(spec: Mapping[str, Any]) -> None:
    for key in ("words", "filler", "verbs", "verb_endings", "endings", "labels"):
        _check_words(spec, key)
    if not spec["words"]:
        raise KindError("words", "`words` must list at least one UI word")
    for key in (
        "max_words",
        "max_chars",
        "max_label_words",
        "max_labelled_chars",
        "min_menu_items",
    ):
        if key in spec and spec[key] < 1:
            raise KindError(key, f"`{key}` must be at least 1")
    if spec.get("min_root", 4) < 3 or spec.get("suffix_letters", 0) < 0:
        raise KindError("min_root", "`min_root` is at least 3, `suffix_letters` at least 0")
    if not 0 < spec["min_share"] <= 1:
        raise KindError("min_share", "`min_share` is a number in (0, 1]")
    banner = spec.get("banner")
    if banner is not None:
        if not isinstance(banner, dict) or set(banner) != {"subject", "reader", "consent"}:
            raise KindError("banner", "`banner` has three word lists: subject, reader, consent")
        for key in banner:
            _check_words(banner, key)


KINDS = {
    "ui-vocabulary": KindSpec(
        stage=NAME,
        required={"words": list, "max_words": int, "max_chars": int, "min_share": (int, float)},
        optional={
            "filler": list,
            "verbs": list,
            "verb_endings": list,
            "max_label_words": int,
            "banner": dict,
            "max_banner_chars": int,
            "endings": list,
            "min_root": int,
            "suffix_letters": int,
            "labels": list,
            "max_labelled_chars": int,
            "min_menu_items": int,
        },
        check=_check_vocabulary,
    ),
    # words that are UI in every language (networks, apps, `rss`): they join every lexicon
    "ui-words": KindSpec(
        stage=NAME, required={"words": list}, check=lambda spec: _check_words(spec, "words")
    ),
}


@dataclass(frozen=True)
class Lexicon:
    """One `ui-vocabulary` rule, compiled."""

    rule: Rule
    ui: WordSet
    filler: WordSet
    verbs: WordSet
    verb_endings: tuple[str, ...]
    max_words: int
    max_chars: int
    min_share: float
    max_label_words: int
    banner_words: tuple[WordSet, WordSet, WordSet] | None  # subject, reader, consent
    max_banner_chars: int
    labels: WordSet  # what a label before `:` may say (`Read also: <a headline>`)
    max_labelled_chars: int
    min_menu_items: int  # items of a menu line (`Home › News › World`)

    @classmethod
    def of(cls, rule: Rule, shared: tuple[str, ...] = ()) -> Lexicon:
        """The rule's lexicon; `shared`: the UI words of every language (`ui-words`)."""
        spec = rule.spec
        banner = spec.get("banner")
        forms = Morphology.of(
            spec.get("endings", []), spec.get("min_root", 4), spec.get("suffix_letters", 0)
        )
        return cls(
            rule=rule,
            ui=WordSet.of([*spec["words"], *shared], forms),
            filler=WordSet.of(spec.get("filler", [])),
            verbs=WordSet.of(spec.get("verbs", []), forms),
            verb_endings=tuple(fold(e) for e in spec.get("verb_endings", [])),
            max_words=spec["max_words"],
            max_chars=spec["max_chars"],
            min_share=float(spec["min_share"]),
            max_label_words=spec.get("max_label_words", 2),
            banner_words=(
                (
                    WordSet.of(banner["subject"]),
                    WordSet.of(banner["reader"]),
                    WordSet.of(banner["consent"]),
                )
                if banner
                else None
            ),
            max_banner_chars=spec.get("max_banner_chars", 400),
            labels=WordSet.of(spec.get("labels", []), forms),
            max_labelled_chars=spec.get("max_labelled_chars", 160),
            min_menu_items=spec.get("min_menu_items", 3),
        )

    def button(self, line: Tokens) -> str | None:
        """Why a short line is a button or label made of this lexicon's words, or None."""
        raw, words = line.raw, self._words(line)
        if len(raw) > self.max_words or len(line.text) > self.max_chars or not words:
            return None
        # a word in both lists counts as a UI word (`more`, `news`)
        ui_words = [w for w in words if w in self.ui]
        if not ui_words:
            return None
        content = [w for w in words if w in self.ui or w not in self.filler]
        if len(ui_words) >= 2:  # then capitalized words inside are names: `Follow X on VK`
            names = {fold(w) for w in raw[1:] if w[:1].isupper()}
            content = [w for w in content if w in self.ui or w not in names]
        if len(words) > 1:
            ui_words += [w for w in {words[0], words[-1]} if w not in ui_words and self._verb(w)]
        if len(ui_words) < self.min_share * len(content):
            return None
        starts_as_button = words[0] in ui_words or words[0] in self.filler
        if not starts_as_button and len(words) > self.max_label_words:
            return None
        return (
            f"a short line ({len(words)} word(s), no sentence) whose words are UI words: "
            f"{len(ui_words)} of {len(content)} ({', '.join(dict.fromkeys(ui_words))})"
        )

    def _words(self, line: Tokens) -> list[str]:
        """The line's words, a hyphenated word whole when this lexicon lists it
        (`най-четени`, `e-posta`), else as its parts."""
        if not line.compounds:
            return line.words
        words: list[str] = []
        for word in line.words:
            if "-" not in word or word in self.ui or word in self.filler:
                words.append(word)
            else:
                words.extend(part for part in word.split("-") if len(part) > 1)
        return words

    def label(self, head: Tokens) -> str | None:
        """Why the words before a line's `:` are a label (`Read also`, `Tags`), or None."""
        words = self._words(head)
        if not words or len(words) > _LABEL_WORDS:
            return None
        labels = [w for w in words if w in self.labels]
        if not labels or any(w not in self.labels and w not in self.filler for w in words):
            return None
        return f"a short line after a label made of label words ({', '.join(labels)})"

    def _verb(self, word: str) -> bool:
        """A verb form a button may start (or, in German or Dutch, end) with."""
        if word in self.verbs:
            return True
        return len(word) >= 5 and word.endswith(self.verb_endings) if self.verb_endings else False

    def banner(self, line: Tokens) -> str | None:
        """Why a line is this language's consent banner, or None."""
        if self.banner_words is None or len(line.text) > self.max_banner_chars:
            return None
        subject, reader, consent = self.banner_words
        words = line.all_words
        named = [w for w in words if w in subject]
        if not named or len({w for w in words if w in reader}) < 2:
            return None  # a banner speaks to the reader: `we … you`, `this site … your`
        asked = [w for w in words if w in consent]
        if not asked:
            return None
        return f"a consent banner: names {named[0]!r}, addresses the reader, asks {asked[0]!r}"


@dataclass(frozen=True)
class Tokens:
    """A line cut into words once, for every lexicon to read."""

    text: str
    raw: list[str]  # the words as written (a hyphenated word is one)
    words: list[str]  # folded, without numbers and single letters (they weigh nothing)
    all_words: list[str]  # folded, all of them
    compounds: bool  # a word holds a hyphen

    @classmethod
    def of(cls, line: str) -> Tokens:
        text = line.strip()
        raw = _WORD.findall(text)
        folded = [fold(w) for w in raw]
        words = [w for w in folded if len(w) > 1 and not w.isdigit()]
        return cls(text, raw, words, folded, "-" in text)

    def pieces(self) -> list[str]:
        """The words, and the parts of hyphenated ones."""
        if not self.compounds:
            return self.words
        parts = [p for w in self.words if "-" in w for p in w.split("-") if len(p) > 1]
        return self.words + parts


@dataclass(frozen=True)
class Vocabulary:
    """The lexicons that apply to a kind of record, and which lines are worth their time:
    buttons are short, and a banner holds one of a few subject words."""

    lexicons: tuple[Lexicon, ...]
    any_ui: Refusal  # the UI words of every lexicon: a line with none of them is no button
    button_chars: int
    banner_chars: int
    labelled_chars: int
    # finds a subject word (or more) written in lower case, capitalized or in capitals:
    # one literal search over a whole text, far cheaper than lowering it or ignoring case
    banner_gate: re.Pattern[str] | None

    @classmethod
    def of(cls, lexicons: tuple[Lexicon, ...]) -> Vocabulary | None:
        if not lexicons:
            return None
        subjects = sorted(
            {word for lex in lexicons if lex.banner_words for word in lex.banner_words[0].strings()}
        )
        spellings = sorted({f(s) for s in subjects for f in (str.lower, str.capitalize, str.upper)})
        gate = re.compile("|".join(map(re.escape, spellings))) if subjects else None
        return cls(
            lexicons,
            Refusal.of([lex.ui for lex in lexicons]),
            max(lex.max_chars for lex in lexicons),
            max((lex.max_banner_chars for lex in lexicons if lex.banner_words), default=0),
            max((lex.max_labelled_chars for lex in lexicons if lex.labels.whole), default=0),
            gate,
        )

    def reason(self, line: str, banners: bool) -> tuple[Rule, str] | None:
        """The lexicon that calls the line UI, and why; None when none does. `banners`:
        the text holds a banner's subject word somewhere (one search per text)."""
        size = len(line)
        if size <= self.button_chars + 8 and not _SENTENCE.search(line.strip().rstrip(_TRAILING)):
            tokens = Tokens.of(line)  # (8: room for the spaces `strip` takes off)
            may_hold = self.any_ui.may_hold
            if any(may_hold(word) for word in tokens.pieces()):
                for lexicon in self.lexicons:
                    why = lexicon.button(tokens)
                    if why:
                        return lexicon.rule, why
        if size <= self.button_chars * 2 and _MENU_SEPARATOR.search(line):
            found = self._menu(line)
            if found:
                return found
        if size <= self.labelled_chars and ":" in line:
            found = self._labelled(line)
            if found:
                return found
        gate = self.banner_gate
        if banners and gate is not None and size <= self.banner_chars and gate.search(line):
            tokens = Tokens.of(line)
            for lexicon in self.lexicons:
                why = lexicon.banner(tokens)
                if why:
                    return lexicon.rule, why
        return None

    def _menu(self, line: str) -> tuple[Rule, str] | None:
        """A menu or breadcrumb (`Home › News › World`, `Video | Photo | Live`): at least
        `min_menu_items` short items, no sentence, and one of them is UI words only."""
        items = [item for item in _MENU_SEPARATOR.split(line.strip()) if item]
        if len(items) < 2 or _SENTENCE.search(line):
            return None
        cut = [Tokens.of(item) for item in items]
        if any(not t.words or len(t.raw) > _MENU_ITEM_WORDS for t in cut):
            return None
        for lexicon in self.lexicons:
            if len(items) >= lexicon.min_menu_items:
                ui = [t.text for t in cut if all(w in lexicon.ui for w in lexicon._words(t))]
                if ui:
                    return lexicon.rule, f"a menu of {len(items)} short items ({ui[0]!r} is UI)"
        return None

    def _labelled(self, line: str) -> tuple[Rule, str] | None:
        """A label and a short text that is no sentence: `Read also: <a headline>`."""
        head, _, rest = line.strip().partition(":")
        rest = rest.strip()
        if not rest or len(head) > _LABEL_CHARS or _ENDS.search(rest):
            return None
        tokens = Tokens.of(head)
        for lexicon in self.lexicons:
            if len(line) <= lexicon.max_labelled_chars:
                why = lexicon.label(tokens)
                if why:
                    return lexicon.rule, why
        return None


def mark(
    text: str,
    lines: list[str],
    removed: list[str | None],
    vocabulary: Vocabulary | None,
    reasons: dict[int, str],
) -> None:
    """Mark the lines some lexicon calls UI (the first lexicon that does names the rule).
    `text` is the lines joined: one search in it tells whether any line may be a banner."""
    if vocabulary is None:
        return
    gate = vocabulary.banner_gate
    banners = gate is not None and gate.search(text) is not None
    for i, line in enumerate(lines):
        if removed[i] is None and line:
            found = vocabulary.reason(line, banners)
            if found:
                removed[i] = found[0].id
                reasons[i] = found[1]
