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
from dataclasses import dataclass, replace
from typing import Any

from normalize.ruleset import KindError, KindSpec, Rule

NAME = "ui_strings"

# words are runs of letters or of digits; apostrophes and hyphens split them (`s'abonner`)
_WORD = re.compile(r"[^\W\d_]+|\d+")
# a full stop (or `!`, `;`) with text after it, a full stop at the end, quotation marks:
# a question may prompt a button (`Already a subscriber? Log in`)
_SENTENCE = re.compile(r"[.!;]\s+\w|(?<![.…])\.\s*$|[\"«»“”„]")
_TRAILING = " \t:·|>›»→—–-•*"  # what a label may end with (`Share:`, `Read more ›`)


def fold(word: str) -> str:
    """Case-folded, with the Turkish `İ` folding to `i` (`casefold` leaves a combining dot)."""
    return word.casefold().replace("i\u0307", "i")


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
    for key in ("words", "filler", "verbs", "verb_endings"):
        _check_words(spec, key)
    if not spec["words"]:
        raise KindError("words", "`words` must list at least one UI word")
    for key in ("max_words", "max_chars", "max_label_words"):
        if key in spec and spec[key] < 1:
            raise KindError(key, f"`{key}` must be at least 1")
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
        },
        check=_check_vocabulary,
    )
}


@dataclass(frozen=True)
class WordSet:
    """Words matched whole, and stems matched as the start of a word (case-folded)."""

    whole: frozenset[str]
    stems: frozenset[str]
    stem_lengths: tuple[int, ...]  # the lengths stems have: the only prefixes worth a look
    heads: frozenset[str]  # every stem's first `stem_lengths[0]` letters: a cheap refusal

    @classmethod
    def of(cls, words: list[str]) -> WordSet:
        folded = [fold(w.strip()) for w in words]
        stems = frozenset(w[:-1] for w in folded if w.endswith("*") and len(w) > 1)
        whole = frozenset(w for w in folded if not w.endswith("*"))
        lengths = tuple(sorted({len(stem) for stem in stems}))
        heads = frozenset(stem[: lengths[0]] for stem in stems) if stems else frozenset()
        return cls(whole, stems, lengths, heads)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self.whole:
            return True
        if not self.stems or word[: self.stem_lengths[0]] not in self.heads:
            return False  # most words: no stem starts as they do
        size = len(word)
        return any(word[:n] in self.stems for n in self.stem_lengths if n <= size)

    def strings(self) -> list[str]:
        """Every word and stem (for a regex that finds lines that may hold one)."""
        return sorted(self.whole | self.stems)


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

    @classmethod
    def of(cls, rule: Rule) -> Lexicon:
        spec = rule.spec
        banner = spec.get("banner")
        return cls(
            rule=rule,
            ui=WordSet.of(spec["words"]),
            filler=WordSet.of(spec.get("filler", [])),
            verbs=WordSet.of(spec.get("verbs", [])),
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
        )

    def button(self, line: Tokens) -> str | None:
        """Why a short line is a button or label made of this lexicon's words, or None."""
        raw, words = line.raw, line.words
        if len(raw) > self.max_words or len(line.text) > self.max_chars:
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
    raw: list[str]  # the words as written
    words: list[str]  # folded, without numbers and single letters (they weigh nothing)
    all_words: list[str]  # folded, all of them

    @classmethod
    def of(cls, line: str) -> Tokens:
        text = line.strip()
        raw = _WORD.findall(text)
        folded = [fold(w) for w in raw]
        words = [w for w in folded if len(w) > 1 and not w.isdigit()]
        return cls(text, raw, words, folded)


@dataclass(frozen=True)
class Vocabulary:
    """The lexicons that apply to a kind of record, and which lines are worth their time:
    buttons are short, and a banner holds one of a few subject words."""

    lexicons: tuple[Lexicon, ...]
    any_ui: WordSet  # the UI words of every lexicon: a line with none of them is no button
    button_chars: int
    banner_chars: int
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
        every = WordSet(
            frozenset().union(*(lex.ui.whole for lex in lexicons)),
            frozenset().union(*(lex.ui.stems for lex in lexicons)),
            tuple(sorted({n for lex in lexicons for n in lex.ui.stem_lengths})),
            frozenset(),
        )
        shortest = every.stem_lengths[0] if every.stem_lengths else 0
        every = replace(every, heads=frozenset(stem[:shortest] for stem in every.stems))
        return cls(
            lexicons,
            every,
            max(lex.max_chars for lex in lexicons),
            max((lex.max_banner_chars for lex in lexicons if lex.banner_words), default=0),
            gate,
        )

    def reason(self, line: str, banners: bool) -> tuple[Rule, str] | None:
        """The lexicon that calls the line UI, and why; None when none does. `banners`:
        the text holds a banner's subject word somewhere (one search per text)."""
        size = len(line)
        if size <= self.button_chars + 8 and not _SENTENCE.search(line.strip().rstrip(_TRAILING)):
            tokens = Tokens.of(line)  # (8: room for the spaces `strip` takes off)
            if any(word in self.any_ui for word in tokens.words):
                for lexicon in self.lexicons:
                    why = lexicon.button(tokens)
                    if why:
                        return lexicon.rule, why
        gate = self.banner_gate
        if banners and gate is not None and size <= self.banner_chars and gate.search(line):
            tokens = Tokens.of(line)
            for lexicon in self.lexicons:
                why = lexicon.banner(tokens)
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
