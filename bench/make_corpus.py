"""A deterministic benchmark corpus of realistic scraped records, built from ../shared.

    python bench/make_corpus.py -o /tmp/bench.jsonl                  # 20,000 records
    python bench/make_corpus.py --records 2000 -o /tmp/small.jsonl
    python bench/make_corpus.py --bytes 1G -o /tmp/bench-1g.jsonl    # for the memory test

Nothing of the corpus is copied into the repository: sentences, headlines, UI leftovers,
dates, place names, declared languages, sources and urls are read from `../shared/corpus/`
at run time and recombined. Shape (per record, drawn from one seeded `random.Random`
per record, so any prefix of a bigger corpus equals the smaller corpus):

- text: about 10% one-line records, about 7% long ones (20-50 KB), the rest articles
  of 1.5-15 KB around a 4 KB median; paragraphs of 1-4 random sentences of one language;
- several languages (ru, uk, en most; de, fr, es, pl, it, pt, bg, be, kk);
- about a third with mojibake: UTF-8 read as cp1252 or latin-1, and, for Cyrillic,
  legacy code pages (cp1251, KOI8) read as another code page;
- most with leftover UI lines (the lines the corpus's UI cases remove), some with
  `\\r\\n`, blank lines and trailing spaces;
- assorted date forms, place variants, declared-language forms and field aliases (the
  alias table is read from rules/schema.yaml), some unmapped fields, some ASCII-escaped JSON.

Output is JSONL (`.gz` when the path ends so); a summary goes to stderr.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import IO, Any

import ftfy.bad_codecs  # noqa: F401 - registers the `sloppy-windows-1252` codec
import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
LANGUAGE_WEIGHTS = {
    "ru": 30, "uk": 22, "en": 25, "de": 4, "fr": 4, "es": 3, "pl": 3,
    "it": 2, "pt": 2, "bg": 1, "be": 1, "kk": 1,
}  # fmt: skip
CYRILLIC = frozenset({"ru", "uk", "bg", "be", "kk"})
LEGACY_PAIRS = (("cp1251", "sloppy-windows-1252"), ("cp1251", "latin-1"),
                ("koi8", "cp1251"), ("cp1251", "koi8"), ("koi8", "latin-1"))  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_LANG_TOKEN = re.compile(r"^[a-z]{2}$")


@dataclass
class Material:
    """What records are recombined from, grouped by language."""

    sentences: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    ui_lines: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dates: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    declared: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sources: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    urls: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    places: list[str] = field(default_factory=list)
    html_texts: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)

    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGE_WEIGHTS if len(self.sentences.get(lang, ())) >= 5]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def _case_language(case: dict[str, Any]) -> str | None:
    """The language a dev case is written in: expected tag, declared code, or name token."""
    expected = case.get("expected", {}).get("language")
    if isinstance(expected, str) and expected:
        return expected[:2].lower()
    for token in reversed(case.get("name", "").split("-")):
        if _LANG_TOKEN.match(token) and token in LANGUAGE_WEIGHTS:
            return token
    declared = case.get("input", {}).get("lang")
    if isinstance(declared, str) and re.match(r"^[a-z]{2}([-_][A-Za-z]{2})?$", declared):
        return declared[:2]
    return None


def _add_sentences(material: Material, lang: str, text: str) -> None:
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line.strip()):
            if len(sentence) >= 20:
                material.sentences[lang].append((sentence, len(sentence.encode("utf-8"))))


def load_material(shared: Path) -> Material:
    """Read ../shared/corpus in a fixed order (so the corpus is the same everywhere)."""
    corpus = shared / "corpus"
    material = Material()
    schema = yaml.safe_load((REPO / "rules" / "schema.yaml").read_text(encoding="utf-8"))
    (rule,) = [r for r in schema["rules"] if r["kind"] == "field-aliases"]
    material.aliases = {name: list(names) for name, names in rule["aliases"].items()}
    alias_of = {
        a.casefold(): name for name, names in material.aliases.items() for a in [name, *names]
    }

    for case in _jsonl(corpus / "dev.jsonl"):
        lang = _case_language(case) or "en"
        given, expected = case["input"], case["expected"]
        damaged = case["capability"] == "mojibake" or "legacy" in case["name"]
        fields = {alias_of.get(str(k).casefold()): v for k, v in given.items()}
        text = given.get("text") if case["capability"] == "places" else expected.get("text")
        if isinstance(text, str) and not damaged:
            _add_sentences(material, lang, text)
        title = expected.get("title") if damaged else fields.get("title")
        if isinstance(title, str) and title:
            material.titles[lang].append(title)
        if case["capability"] in ("ui", "record") and not damaged and "trap" not in case["name"]:
            kept = set((expected.get("text") or "").splitlines())
            for line in (given.get("text") or "").splitlines():
                if line.strip() and line.strip() not in kept:
                    material.ui_lines[lang].append(line.strip())
        if isinstance(fields.get("published"), str):
            material.dates[lang].append(fields["published"])
        if isinstance(fields.get("places"), str) and not fields["places"].startswith("["):
            material.places.append(fields["places"])
        if isinstance(fields.get("language"), str):
            material.declared[lang].append(fields["language"])
        if isinstance(fields.get("source"), str):
            material.sources[lang].append(fields["source"])
        if isinstance(fields.get("url"), str):
            material.urls[lang].append(fields["url"])
        for key in ("section", "category", "ressort"):
            if isinstance(given.get(key), str):
                material.sections.append(given[key])

    seed = json.loads((corpus / "seed_case.json").read_text(encoding="utf-8"))
    kept = set((seed["expected"].get("text") or "").splitlines())
    for line in seed["input"]["text"].splitlines():
        if line.strip() and line.strip() not in kept:
            material.ui_lines["en"].append(line.strip())

    for case in _jsonl(corpus / "peer" / "langid_cases.jsonl"):
        _add_sentences(material, case["lang"], case["text"])
    for case in _jsonl(corpus / "peer" / "dateparser_cases.jsonl"):
        if case.get("kind") == "parse" and isinstance(case.get("input"), str):
            material.dates[case.get("lang") or "en"].append(case["input"])
    for row in _jsonl(corpus / "real" / "newsapi_ru.jsonl"):
        material.titles["ru"].append(row["title"])
        if row.get("description"):
            _add_sentences(material, "ru", row["description"])
        material.dates["ru"].append(row["publishedAt"])
        material.urls["ru"].append(row["url"])
        material.sources["ru"].append((row.get("source") or {}).get("name") or "")
        if row.get("author"):
            material.authors.append(row["author"])
    for row in _jsonl(corpus / "real" / "ukrainaru_headlines.jsonl"):
        material.titles["ru"].append(row["title"])
        material.dates["ru"].append(row["date_str"])
        material.urls["ru"].append(row["link"])
        if row.get("author"):
            material.authors.append(row["author"])
    for row in _jsonl(corpus / "real" / "ua_headlines.jsonl"):
        if row.get("title"):
            material.titles["uk"].append(row["title"])
        material.dates["uk"].append(row["date"])
        material.urls["uk"].append(row["url"])
    for row in _jsonl(corpus / "real" / "ria_20.jsonl"):
        material.html_texts.append(row["text"])
    return material


def _pick(rng: Random, pool: list, fallback: list) -> Any:
    return rng.choice(pool) if pool else rng.choice(fallback)


def _mojibake(rng: Random, lang: str) -> tuple[str, str]:
    """(encoding, decoding) of a mis-decoding: UTF-8 read as cp1252/latin-1, or legacy."""
    roll = rng.random()
    if lang in CYRILLIC and roll < 0.3:
        encode, decode = rng.choice(LEGACY_PAIRS)
        koi8 = "koi8-u" if lang in ("uk", "be") else "koi8-r"
        return encode.replace("koi8", koi8), decode.replace("koi8", koi8)
    return "utf-8", "latin-1" if roll > 0.8 else "sloppy-windows-1252"


def _damage(value: str, how: tuple[str, str]) -> str:
    return value.encode(how[0], errors="replace").decode(how[1], errors="replace")


def _text(rng: Random, material: Material, lang: str, target: int) -> str:
    sentences = material.sentences[lang]
    paragraphs: list[str] = []
    size = 0
    while size < target:
        count = rng.choice((1, 2, 2, 3, 3, 4))
        chosen = [rng.choice(sentences) for _ in range(count)]
        paragraphs.append(" ".join(s for s, _ in chosen))
        size += sum(n for _, n in chosen) + count
    return "\n".join(paragraphs)


def make_record(
    number: int, material: Material, seed: int = 0, mojibake_share: float = 1 / 3
) -> tuple[dict[str, Any], dict]:
    """Record `number` of the corpus (its own seeded Random) and what was done to it."""
    rng = Random(f"{seed}:{number}")
    langs = material.languages()
    lang = rng.choices(langs, weights=[LANGUAGE_WEIGHTS[x] for x in langs])[0]
    info: dict[str, Any] = {"lang": lang}
    roll = rng.random()
    if roll < 0.10:
        info["shape"] = "line"
        text = rng.choice(material.sentences[lang])[0]
    elif roll < 0.17:
        info["shape"] = "long"
        text = _text(rng, material, lang, rng.randint(20_000, 50_000))
    elif lang == "ru" and material.html_texts and roll < 0.19:
        info["shape"] = "html"
        text = rng.choice(material.html_texts)
    else:
        info["shape"] = "article"
        text = _text(
            rng, material, lang, min(15_000, max(1500, int(rng.lognormvariate(8.29, 0.35))))
        )
    lines = text.split("\n")
    ui_pool = material.ui_lines.get(lang) or material.ui_lines["en"]
    if info["shape"] != "line" and rng.random() < 0.75:
        info["ui"] = True
        for _ in range(rng.randint(1, 4)):
            where = rng.choice((0, len(lines), rng.randint(0, len(lines))))
            lines.insert(where, rng.choice(ui_pool))
    if rng.random() < 0.15:
        info["whitespace"] = True
        lines = [line + rng.choice(("", " ", "  ")) for line in lines]
        text = rng.choice(("\r\n", "\n\n", "\n \n")).join(lines)
    else:
        text = "\n".join(lines)
    titles = material.titles.get(lang)
    title = rng.choice(titles) if titles and rng.random() < 0.7 else text.split("\n")[0][:120]
    if rng.random() < mojibake_share:
        how = _mojibake(rng, lang)
        info["mojibake"] = "{}-as-{}".format(*how)
        text = _damage(text, how)
        if rng.random() < 0.6:
            title = _damage(title, how)

    values: dict[str, Any] = {}
    if rng.random() < 0.5:
        values["id"] = f"bench-{number:07d}" if rng.random() < 0.8 else number
    if rng.random() < 0.6:
        values["url"] = _pick(
            rng, material.urls.get(lang, []), material.urls["en"] or ["https://example.org/a"]
        )
    if rng.random() < 0.5:
        values["source"] = _pick(
            rng, material.sources.get(lang, []), material.sources["en"] or ["Example"]
        )
    if rng.random() < 0.65:
        values["language"] = _pick(rng, material.declared.get(lang, []), [lang])
    if rng.random() < 0.85:
        values["published"] = _pick(rng, material.dates.get(lang, []), material.dates["en"])
    values["title"] = title
    if not (info["shape"] == "line" and rng.random() < 0.3):
        values["text"] = text
    if rng.random() < 0.35 and material.places:
        values["places"] = rng.choice(material.places)
    record: dict[str, Any] = {}
    for name, value in values.items():
        alias = name if rng.random() < 0.7 else rng.choice(material.aliases.get(name) or [name])
        if rng.random() < 0.05:
            alias = alias.capitalize()
        record[alias] = value
    if rng.random() < 0.4:
        extra = rng.choice(("author", "section", "word_count", "tags"))
        if extra == "author" and material.authors:
            record["author"] = rng.choice(material.authors)
        elif extra == "section" and material.sections:
            record["section"] = rng.choice(material.sections)
        elif extra == "word_count":
            record["word_count"] = len(text.split())
        else:
            record["tags"] = [rng.choice(("politics", "economy", "world", "Україна", "Россия"))]
    info["ascii"] = rng.random() < 0.2
    return record, info


def parse_size(value: str) -> int:
    """`1G`, `500M`, `64K` or bytes (powers of 1024)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", value.strip(), re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 1G, 500M)")
    factor = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[match.group(2).upper()]
    return int(float(match.group(1)) * factor)


def write_corpus(
    out: IO[bytes],
    material: Material,
    records: int | None,
    size: int | None,
    seed: int = 0,
    mojibake_share: float = 1 / 3,
) -> dict[str, Any]:
    """Write records until the count or the byte size is reached; return a summary."""
    written = total = 0
    text_sizes: list[int] = []
    counts: dict[str, int] = defaultdict(int)
    while (records is None or written < records) and (size is None or total < size):
        record, info = make_record(written, material, seed, mojibake_share)
        line = (json.dumps(record, ensure_ascii=info["ascii"]) + "\n").encode("utf-8")
        out.write(line)
        written += 1
        total += len(line)
        text = next(
            (
                v
                for k, v in record.items()
                if k.casefold() in ("text", "body", "content", "article")
            ),
            "",
        )
        if len(text_sizes) < 200_000:
            text_sizes.append(
                len(text.encode("utf-8", errors="replace")) if isinstance(text, str) else 0
            )
        counts[info["lang"]] += 1
        for key in ("mojibake", "ui", "whitespace"):
            counts[key] += bool(info.get(key))
        counts[info["shape"]] += 1
    text_sizes.sort()
    return {
        "records": written,
        "bytes": total,
        "median_text_bytes": int(statistics.median(text_sizes)) if text_sizes else 0,
        "counts": dict(counts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, help="number of records (default 20000)")
    parser.add_argument(
        "--bytes", type=parse_size, metavar="SIZE", help="stop at this size (1G, 500M)"
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="JSONL output (.gz ok); stdout if absent"
    )
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (../shared)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--mojibake-share",
        type=float,
        default=1 / 3,
        help="share of records with mojibake (default 1/3; 0.02 is closer to a real scrape)",
    )
    args = parser.parse_args(argv)
    if not (args.shared / "corpus" / "dev.jsonl").is_file():
        print(f"make_corpus: {args.shared}/corpus not found (pass --shared)", file=sys.stderr)
        return 2
    records = args.records if args.records is not None else (None if args.bytes else 20_000)
    started = time.perf_counter()
    material = load_material(args.shared)
    if args.output in (None, "-"):
        summary = write_corpus(
            sys.stdout.buffer, material, records, args.bytes, args.seed, args.mojibake_share
        )
    else:
        opener = gzip.open if args.output.endswith(".gz") else open
        with opener(args.output, "wb") as out:
            summary = write_corpus(
                out, material, records, args.bytes, args.seed, args.mojibake_share
            )
    counts, n = summary["counts"], max(summary["records"], 1)
    share = ", ".join(
        f"{k} {100 * counts.get(k, 0) / n:.0f}%" for k in ("mojibake", "ui", "whitespace")
    )
    shapes = ", ".join(f"{k} {counts.get(k, 0)}" for k in ("article", "long", "line", "html"))
    langs = ", ".join(f"{k} {counts[k]}" for k in LANGUAGE_WEIGHTS if counts.get(k))
    print(
        f"make_corpus: {summary['records']} records, {summary['bytes'] / 1e6:.1f} MB, "
        f"median text {summary['median_text_bytes']} B, {share}; shapes: {shapes}; "
        f"languages: {langs}; {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
