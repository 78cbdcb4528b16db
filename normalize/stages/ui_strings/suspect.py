"""`ui.suspect`: report (never remove) a short line in a script foreign to the document.

Such a line may be a site's UI string that no rule lists yet. Markup is not a line of
text (`<p><strong></strong></p>` is not a short Latin line), so lines that hold a tag
are left to the HTML handling and never reported.
"""

from __future__ import annotations

import re

from normalize.ruleset import Rule
from normalize.scripts import dominant_script
from normalize.work import WorkRecord

_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!--|&[a-zA-Z]+;|&#\d+;")


def warn_suspects(work: WorkRecord, rule: Rule) -> None:
    text = work.text("text") or ""
    max_words = rule.spec["max_words"]
    share = rule.spec.get("min_share", 0.8)
    document = None
    for line in text.split("\n"):
        if len(line.split(None, max_words)) > max_words:
            continue  # more than max_words words (splitting no further than needed to tell)
        if ("<" in line or "&" in line) and _TAG.search(line):
            continue
        line_script = dominant_script(line, share)
        if line_script is None:
            continue
        if document is None:
            document = dominant_script(_TAG.sub(" ", text), share) or ""
        if document and line_script != document:
            work.warn(
                "ui.suspect",
                "text",
                f"short {line_script} line in a {document} text kept: {line!r}",
            )
