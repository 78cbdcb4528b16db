"""The letter lists the legacy code-page repair works with: data, kept apart from the code.

They describe the Cyrillic alphabets of the judging languages (ru, uk, be, bg, mk) and the
Latin letters that can be mistaken for them; change them here, not in the algorithm.
"""

from __future__ import annotations

import re

# a Cyrillic character (letters and the few signs of the block)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# punctuation and spaces a run may hold although the reading could not show them
PASS_THROUGH = "\u2000-\u206f\u00a0-\u00bf\u02b9-\u02df\u20a0-\u20cf\u2100-\u214f\u2190-\u21ff"
# Latin letters that mark a word as mixing scripts (not i and I: Cyrillic homoglyphs)
LATIN = frozenset("abcdefghjklmnopqrstuvwxyzABCDEFGHJKLMNOPQRSTUVWXYZ")
# a word: letters, with apostrophes inside (`п'ять`, `з’їзд`)
WORD = re.compile(r"[^\W\d_]+(?:['’`ʼ][^\W\d_]+)*")
# the most frequent letters of Russian, Ukrainian and Belarusian (about a third of the text)
COMMON = "оаеинтсрвлі"
# every lowercase letter of the judging alphabets
ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў"
# Judging only: letters the judging profiles lack are scored as their nearest letter
# (langdetect has no Belarusian profile: ў as у), and the Latin i that Ukrainian and
# Belarusian web text often uses for і is scored as і.
JUDGE_FOLD = str.maketrans({"ў": "у", "i": "і"})
