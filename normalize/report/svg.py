"""Inline SVG charts for the report: horizontal bars and a histogram, nothing fetched.

Every bar carries its value as visible text and a `<title>`, so a chart reads without
colour and without a mouse; labels can link to a section of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 330
VALUE_WIDTH = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None  # a link for the label, e.g. "#rule-ui.en.subscribe"
    note: str | None = None  # shown after the value, e.g. the rule's file:line


def _shorten(text: str, limit: int, keep_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1) :] if keep_end else text[: limit - 1] + "…"


def bar_chart(bars: list[Bar], title: str, width: int = 900) -> str:
    """Horizontal bars, largest first as given; an empty list gives a one-line note."""
    if not bars:
        return f'<p class="empty">{escape(title)}: nothing to show.</p>'
    top = max(bar.value for bar in bars) or 1
    room = width - LABEL_WIDTH - VALUE_WIDTH - 160
    height = len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    rows = []
    for index, bar in enumerate(bars):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = max(1, round(room * bar.value / top))
        label = escape(_shorten(bar.label, 48))
        if bar.href:
            label = f'<a href="{escape(bar.href)}">{label}</a>'
        note = f" · {escape(_shorten(bar.note, 40, keep_end=True))}" if bar.note else ""
        rows.append(
            f'<g class="row"><title>{escape(bar.label)}: {bar.value:,}</title>'
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end">'
            f"{label}</text>"
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" '
            f'height="{BAR_HEIGHT}"/>'
            f'<text class="value" x="{LABEL_WIDTH + length + 6}" y="{y + 13}">'
            f"{bar.value:,}{note}</text></g>"
        )
    return (
        f'<svg class="chart bars" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def histogram(buckets: list[tuple[str, int]], title: str, width: int = 900) -> str:
    """Vertical bars over ordered buckets (months or years), every few labelled below."""
    if not buckets:
        return f'<p class="empty">{escape(title)}: nothing to show.</p>'
    plot_height = 160
    top = max(count for _, count in buckets) or 1
    step = (width - 60) / len(buckets)
    every = max(1, round(len(buckets) / 12))  # about a dozen axis labels
    parts = [
        f'<text class="value" x="4" y="12">max {top:,}</text>',
        f'<line class="axis" x1="40" y1="{plot_height + 20}" x2="{width - 10}" '
        f'y2="{plot_height + 20}"/>',
    ]
    for index, (label, count) in enumerate(buckets):
        x = 40 + index * step
        bar_height = max(1, round(plot_height * count / top))
        y = plot_height + 20 - bar_height
        parts.append(
            f'<g class="row"><title>{escape(label)}: {count:,}</title>'
            f'<rect class="bar" x="{x:.1f}" y="{y}" width="{max(1.0, step - 1):.1f}" '
            f'height="{bar_height}"/></g>'
        )
        if index % every == 0:
            parts.append(
                f'<text class="label" x="{x:.1f}" y="{plot_height + 36}">{escape(label)}</text>'
            )
    height = plot_height + 44
    return (
        f'<svg class="chart histogram" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def coarsen(months: list[tuple[str, int]], most: int = 120) -> list[tuple[str, int]]:
    """Month buckets (`YYYY-MM`, or `YYYY` for year-only dates) → years when there are many."""
    if len(months) <= most and all(len(key) == 7 for key, _ in months):
        return months
    years: dict[str, int] = {}
    for key, count in months:
        years[key[:4]] = years.get(key[:4], 0) + count
    return sorted(years.items())
