"""How date words are compared: one key for every spelling of a word."""

from __future__ import annotations

import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "ꞌ": "'", "′": "'", "ʼ": "'", "‘": "'"})


def word_key(word: str) -> str:
    """NFKC, case-folded, dots dropped, one kind of apostrophe."""
    return unicodedata.normalize("NFKC", word).casefold().replace(".", "").translate(_APOSTROPHES)


def fold(key: str) -> str:
    """The key without accents (`giovedi`, `fevrier`, `marz`), a second chance to match."""
    if key.isascii():
        return key
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
