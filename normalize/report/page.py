"""The report as one self-contained HTML page: inline CSS and SVG, no script, no fetch.

The page's Content-Security-Policy forbids every external resource, so even a stray link
cannot make a browser fetch anything; samples expand with `<details>`, which needs no
JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from normalize.report.svg import Bar, bar_chart, coarsen, histogram

CHART_ROWS = 30  # bars per chart; the full list follows in a table
SAMPLE_BUDGET = 1_200_000  # bytes of sample diffs in the whole page (it stays under 2 MB)

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#111}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #999}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 8px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{display:block;margin:.5em 0;max-width:100%;height:auto}
svg .bar{fill:#4a6fa5}svg .label,svg .value{font:12px system-ui,sans-serif;fill:#111}
svg .axis{stroke:#333}svg a{text-decoration:underline}
del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:underline}
del::before{content:"[−"}del::after{content:"]"}ins::before{content:"[+"}ins::after{content:"]"}
pre.hunk{white-space:pre-wrap;word-break:break-word;background:#f6f6f6;padding:4px;margin:2px 0}
details{margin:.3em 0}summary{cursor:pointer}.empty{color:#555;font-style:italic}
.where{font-family:monospace}
"""


def _anchor(prefix: str, key: str) -> str:
    return prefix + "-" + "".join(c if c.isalnum() or c in "._-" else "_" for c in key)


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                cells.append(f'<td class="n">{cell:,}</td>')
            else:
                cells.append(f"<td>{escape('–' if cell is None else str(cell))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _summary(figures: Mapping[str, Any]) -> str:
    records = figures["records"]
    rows = [
        ["records", records],
        ["bad lines (not records)", figures["bad_lines"]],
        ["records changed", figures["changed"]],
        ["records unchanged", records - figures["changed"]],
    ]
    fields = [[name, f["before"], f["after"], f["gained"]] for name, f in figures["fields"].items()]
    note = (
        ""
        if figures["audited"] == records
        else f'<p class="empty">Before-values are known for {figures["audited"]:,} of '
        f"{records:,} records (those with an audit trail).</p>"
    )
    return (
        "<h2 id='summary'>Summary</h2>"
        + _table(["", "count"], rows)
        + "<h3>Fields filled, before → after</h3>"
        + _table(["field", "before", "after", "gained"], fields)
        + note
    )


def _ranked_section(
    title: str, anchor: str, items: Sequence[tuple[str, int, str | None, str | None]]
) -> str:
    """A chart of the largest items, then every item in a table (label, count, note)."""
    bars = [Bar(label, count, href, note) for label, count, href, note in items[:CHART_ROWS]]
    table = _table(["", "count", "where"], [[label, n, note or ""] for label, n, _, note in items])
    more = f"<details><summary>all {len(items):,}</summary>{table}</details>" if items else ""
    return f"<h2 id='{anchor}'>{escape(title)}</h2>" + bar_chart(bars, title) + more


def _languages(languages: Mapping[str, Any]) -> str:
    decided = [Bar(tag, n) for tag, n in languages["decided"][:CHART_ROWS]]
    pairs = [[f"{d} → {k}", n] for d, k, n in languages["pairs"]]
    return (
        "<h2 id='languages'>Languages</h2>"
        f"<p>Mismatches (declared language contradicted by the text): "
        f"{languages['mismatches']:,}</p>"
        + bar_chart(decided, "languages decided")
        + "<h3>Declared → decided</h3>"
        + _table(["declared → decided", "records"], pairs[:40])
    )


def _dates(dates: Mapping[str, Any], records: int) -> str:
    buckets = coarsen([(k, n) for k, n in dates["histogram"]])
    precision = [Bar(k, n) for k, n in dates["precision"].items()]
    return (
        "<h2 id='dates'>Dates</h2>"
        f"<p>{dates['dated']:,} of {records:,} records have a published date "
        f"({_percent(dates['dated'], records)}); {dates['ambiguous']:,} were ambiguous "
        f"({_percent(dates['ambiguous'], dates['dated'])} of the dated).</p>"
        + histogram(buckets, "published, over time")
        + "<h3>Precision</h3>"
        + bar_chart(precision, "date precision")
    )


def _hunk_html(hunk: list[list[str]]) -> str:
    pieces = []
    for op, text in hunk:
        tag = {"-": "del", "+": "ins"}.get(op)
        pieces.append(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text))
    return f'<pre class="hunk">{"".join(pieces)}</pre>'


def _rule_samples(samples: Mapping[str, Any], budget: int) -> str:
    parts = ["<h2 id='samples'>Sample changes per rule</h2>"]
    for rule, items in samples.items():
        body = []
        for where, excerpts in items:
            for excerpt in excerpts:
                hunks = "".join(_hunk_html(h) for h in excerpt["hunks"])
                body.append(
                    f'<p class="where">{escape(where)} · {escape(excerpt["field"])}</p>{hunks}'
                )
        text = "".join(body)
        if len(text) > budget:
            text = text[: max(0, budget)]
            text = text[: text.rfind("<p")] if "<p" in text else ""
            text += '<p class="empty">(samples cut to keep the page small)</p>'
        parts.append(
            f"<details id='{_anchor('rule', rule)}'><summary>{escape(rule)}</summary>"
            f"{text}</details>"
        )
    return "".join(parts)


def _warning_samples(samples: Mapping[str, Any], bad: list[Any]) -> str:
    parts = ["<h2 id='warning-samples'>Sample records per warning</h2>"]
    for code, items in samples.items():
        rows = [[where, s["field"] or "", s["message"], s["title"] or ""] for where, s in items]
        parts.append(
            f"<details id='{_anchor('warning', code)}'><summary>{escape(code)}</summary>"
            + _table(["record", "field", "message", "title"], rows)
            + "</details>"
        )
    if bad:
        parts.append("<h3>Bad lines</h3>" + _table(["line", "reason"], [list(b) for b in bad]))
    return "".join(parts)


def render(figures: Mapping[str, Any], run: Mapping[str, Any]) -> str:
    """The whole page for `figures` (`Figures.as_dict`) and `run` (version, digest, timing)."""
    rules = [
        (r["id"], r["count"], "#" + _anchor("rule", r["id"]), r["location"])
        for r in figures["rules"]
    ]
    warnings = [
        (w["code"], w["count"], "#" + _anchor("warning", w["code"]), None)
        for w in figures["warnings"]
    ]
    places = [(name, n, None, None) for name, n in figures["places"]]
    sources = [(name, n, None, None) for name, n in figures["sources"]]
    rule_count = max(1, len(figures["samples"]["rules"]))
    run_rows = [[key, value] for key, value in run.items()]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>metanorm report</title><style>{STYLE}</style></head><body>"
        "<h1>metanorm report</h1>"
        + _table(["run", ""], run_rows)
        + _summary(figures)
        + _ranked_section("Rules fired", "rules", rules)
        + _ranked_section("Warnings", "warnings", warnings)
        + _languages(figures["languages"])
        + _dates(figures["dates"], figures["records"])
        + _ranked_section("Top places", "places", places)
        + _ranked_section("Sources", "sources", sources)
        + _rule_samples(figures["samples"]["rules"], SAMPLE_BUDGET // rule_count)
        + _warning_samples(figures["samples"]["warnings"], figures["samples"]["bad_lines"])
        + "</body></html>\n"
    )
