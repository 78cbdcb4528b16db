"""Dates: `published` in ISO 8601, at the precision the input has.

The value comes from the `published` field (any alias); when that is missing, from the
sources the rules list in order (a date a UI trailer captured, a dateline at the start of
the text, the date in the url). Relative, yearless and time-only dates resolve against the
record's retrieval time (else --reference-date). An ambiguous day/month order is decided
by the record's source, separator or language and warned about.

Modules: `stage` (one record), `rules` (kinds, compile), `parse` (one value: the forms in
order), `forms` (ISO, compact, RFC 2822, CJK, timestamps), `reader` and `assemble` (the
general tokenizer), `relative`, `relative_words` and `resolve` (relative dates from CLDR),
`locales` (CLDR through babel), `grammar`, `words`, `readings`, `fallback` (dateparser).
"""

from __future__ import annotations

from normalize.stages.dates.grammar import Grammar, grammar_from_words
from normalize.stages.dates.locales import cldr_day_first
from normalize.stages.dates.parse import default_grammar, parse_date, parse_reference, same_instant
from normalize.stages.dates.readings import FORMS, DateReading, NeedsReference, Result
from normalize.stages.dates.rules import KINDS, NAME, Compiled, compile
from normalize.stages.dates.stage import READS, WRITES, run

__all__ = [
    "FORMS",
    "KINDS",
    "NAME",
    "READS",
    "WRITES",
    "Compiled",
    "DateReading",
    "Grammar",
    "NeedsReference",
    "Result",
    "cldr_day_first",
    "compile",
    "default_grammar",
    "grammar_from_words",
    "parse_date",
    "parse_reference",
    "run",
    "same_instant",
]
