"""HTML bodies → plain text: which library, measured on speed and fidelity.

    python bench/html_bodies.py [--shared ../shared] [--pages 400] [--repeat 5]

Each candidate turns an HTML body into the contract's plain text (one line per block,
`<br>` a line break, entities decoded, scripts and styles dropped, whitespace collapsed
inside a line, empty lines dropped). Fidelity is exact equality with the expected text
(a decoded `&nbsp;` may be U+00A0 or a space): on `ria_20` against its gold texts, and on
generated pages whose text is known by construction. Speed is microseconds per body.
The shipped converter (`normalize.stages.scraped.html`) is measured beside them, with
the cost of the detection gate on plain texts.
"""

from __future__ import annotations

import argparse
import html as stdlib_html
import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_SPACE = re.compile(r"[ \t\n\r\f]+")


def lines_of(text: str) -> str:
    """The contract's shape, applied to every candidate's raw output alike."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def with_selectolax(body: str) -> str:
    from normalize.stages.scraped.html import html_to_text

    return html_to_text(body)


def with_lxml(body: str) -> str:
    import lxml.html

    blocks = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table"}
    blocks |= {"blockquote", "section", "article", "header", "footer", "figure", "figcaption"}
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", ""):  # "" is a comment or processing instruction
            out.append(el.tail or "")
            return
        if tag == "br" or tag in blocks:
            out.append("\n")
        out.append(el.text or "" if tag not in ("script", "style") else "")
        for child in el:
            walk(child)
        if tag in blocks:
            out.append("\n")
        out.append(el.tail or "")

    walk(root)
    return lines_of("".join(out))


def with_html_text(body: str) -> str:
    import html_text

    return lines_of(html_text.extract_text(body, guess_layout=True))


def with_inscriptis(body: str) -> str:
    from inscriptis import get_text

    return lines_of(get_text(body))


CANDIDATES: dict[str, Callable[[str], str]] = {
    "selectolax (shipped)": with_selectolax,
    "lxml.html walk": with_lxml,
    "html-text": with_html_text,
    "inscriptis": with_inscriptis,
}

WORDS = [
    "город",
    "власти",
    "бюджет",
    "транспорт",
    "новый",
    "утвердили",
    "Kyiv",
    "council",
    "plan",
    "місто",
    "рада",
    "мэр",
    "сказал",
    "заявил",
    "Monday",
    "вторник",
    "2024",
    "15%",
    "$3,1",
    "«цитата»",
    "(пояснение)",
]
ENTITIES = {"&nbsp;": "\u00a0", "&mdash;": "—", "&laquo;": "«", "&raquo;": "»", "&amp;": "&"}
INLINE = ("strong", "em", "b", "i", "span", "a")
BLOCKS = ("p", "div", "li", "h2", "blockquote")


def _sentence(rng: random.Random) -> tuple[str, str]:
    """One run of words as HTML and as the text it shows."""
    html_parts, text_parts = [], []
    for _ in range(rng.randint(4, 14)):
        word = rng.choice(WORDS)
        if rng.random() < 0.15:
            entity = rng.choice(list(ENTITIES))
            html_parts.append(word + entity)
            text_parts.append(word + ENTITIES[entity])
            continue
        if rng.random() < 0.1:
            tag = rng.choice(INLINE)
            attrs = ' href="https://example.org/x?a=1&amp;b=2"' if tag == "a" else ""
            html_parts.append(f"<{tag}{attrs}>{word}</{tag}>")
        else:
            html_parts.append(stdlib_html.escape(word, quote=False))
        text_parts.append(word)
    return " ".join(html_parts), " ".join(text_parts)


def generated_page(rng: random.Random) -> tuple[str, str]:
    """A page of blocks (some with `<br>`), plus scripts, styles, comments and images."""
    html_blocks, lines = [], []
    if rng.random() < 0.5:
        html_blocks.append("<style>p { color: red }</style>")
    for _ in range(rng.randint(2, 12)):
        tag = rng.choice(BLOCKS)
        first_html, first_text = _sentence(rng)
        if rng.random() < 0.25:
            second_html, second_text = _sentence(rng)
            html_blocks.append(f"<{tag}>{first_html}<br>{second_html}</{tag}>")
            lines += [first_text, second_text]
        else:
            html_blocks.append(f"<{tag}>{first_html}</{tag}>")
            lines.append(first_text)
        if rng.random() < 0.2:
            html_blocks.append('<script>var x = "<p>not text</p>";</script>')
        if rng.random() < 0.2:
            html_blocks.append('<p><img src="a.jpg" alt="photo"></p><!-- comment -->')
        if rng.random() < 0.1:
            html_blocks.append("<p><strong></strong></p>")
    joiner = "\n" if rng.random() < 0.5 else ""
    # a line's text as the tidy contract has it: no space (nor a trailing &nbsp;) at its ends
    return joiner.join(html_blocks), "\n".join(line.strip() for line in lines)


def same(got: str, want: str) -> bool:
    return got.replace("\u00a0", " ") == want.replace("\u00a0", " ")


def cases(shared: Path, pages: int) -> dict[str, list[tuple[str, str]]]:
    gold = shared / "corpus" / "real" / "gold" / "ria_20.gold.jsonl"
    lines = [line for line in gold.read_text(encoding="utf-8").split("\n") if line.strip()]
    ria = [
        (case["input"]["text"], case["expected"]["text"])
        for case in map(json.loads, lines)
        if case["capability"] == "html"
    ]
    rng = random.Random(16)
    return {"ria_20": ria, "generated": [generated_page(rng) for _ in range(pages)]}


def measure(convert: Callable[[str], str], items: list[tuple[str, str]], repeat: int):
    exact = sum(same(convert(body), want) for body, want in items)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for body, _ in items:
            convert(body)
        best = min(best, time.perf_counter() - start)
    return exact, best / len(items) * 1e6


def gate_cost(shared: Path, repeat: int) -> None:
    from normalize.stages.scraped.html import looks_like_html

    texts = []
    for line in (shared / "corpus" / "dev.jsonl").read_text(encoding="utf-8").split("\n"):
        value = json.loads(line)["input"].get("text") if line.strip() else None
        if isinstance(value, str):
            texts.append(value)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            looks_like_html(text)
        best = min(best, time.perf_counter() - start)
    size = sum(map(len, texts)) / len(texts)
    print(
        f"gate on {len(texts)} dev texts (mean {size:.0f} chars): "
        f"{best / len(texts) * 1e6:.2f} µs a text"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sets = cases(args.shared, args.pages)
    for name, items in sets.items():
        mean = sum(len(body) for body, _ in items) / len(items)
        print(f"{name}: {len(items)} bodies, mean {mean:.0f} characters")
    print(f"{'candidate':22s} " + " ".join(f"{name:>26s}" for name in sets))
    for name, convert in CANDIDATES.items():
        try:
            cells = []
            for items in sets.values():
                exact, micros = measure(convert, items, args.repeat)
                cells.append(f"{exact:4d}/{len(items):<4d} exact {micros:8.1f} µs")
        except ImportError as exc:
            print(f"{name:22s} not installed ({exc.name})")
            continue
        print(f"{name:22s} " + " ".join(f"{cell:>26s}" for cell in cells))
    gate_cost(args.shared, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
