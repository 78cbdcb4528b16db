"""Fit the word-evidence weights of `language.detect` on data drawn from wordfreq itself.

Not the measured cases: for each language with a large wordfreq list, words drawn uniformly
from its types down to bucket 650 (a little past the small lists the detector reads),
pairs of such words, and 12-word "sentences" drawn by token frequency. `--hide` leaves
a language's list out (as if it had none) to fit `word_unlisted`: how its own words fare,
and how often it is answered for others'.

    python scripts/fit_language_words.py --weights 1,2,3 --absent 2,4 --unlisted 1,2 \
        [--hide nl,sv,uk]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import random
from typing import Any

import msgpack

from normalize.stages.language import default_detector
from normalize.stages.language.detector import Detector
from normalize.stages.language.lexicon import wordfreq_dir

TAGS = {"nb": "no"}


def draw_items(seed: int = 17) -> list[tuple[str, str, str]]:
    """(kind, text, language): 30 words, 30 pairs and 15 sentences per language."""
    directory = wordfreq_dir()
    assert directory is not None, "wordfreq is not installed"
    rng = random.Random(seed)
    items = []
    for path in sorted(directory.glob("large_*.msgpack.gz")):
        code = path.name[len("large_") : -len(".msgpack.gz")]
        tag = TAGS.get(code, code)
        with gzip.open(path) as fh:
            buckets = msgpack.load(fh, raw=False)[1:]
        pool = sorted(w for b in buckets[:650] for w in b if w.isalpha() and len(w) > 1)
        items += [("word", rng.choice(pool), tag) for _ in range(30)]
        items += [("pair", f"{rng.choice(pool)} {rng.choice(pool)}", tag) for _ in range(30)]
        tokens = [(w, 10 ** (-i / 100)) for i, b in enumerate(buckets[:800]) for w in b]
        words, freqs = zip(*tokens, strict=True)
        for _ in range(15):
            items.append(("sentence", " ".join(rng.choices(words, weights=freqs, k=12)), tag))
    return items


def score(detector: Detector, items: list[tuple[str, str, str]], hide: str | None) -> dict:
    """Right answers per kind (own list or hidden), and answers of the hidden language for
    other languages' text."""
    out: dict[Any, list[int]] = {}
    for kind, text, tag in items:
        got = detector.detect(text).language
        key = (kind, "hidden" if tag == hide else "listed")
        tally = out.setdefault(key, [0, 0])
        tally[0] += got == tag or (tag == "no" and got == "nb")
        tally[1] += 1
        if hide and got == hide and tag != hide:
            out.setdefault(("false", hide), [0, 0])[0] += 1
    return {k: tuple(v) for k, v in sorted(out.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    floats = lambda s: [float(x) for x in s.split(",")]  # noqa: E731
    parser.add_argument("--weights", type=floats, default=[2.0])
    parser.add_argument("--absent", type=floats, default=[4.0])
    parser.add_argument("--unlisted", type=floats, default=[1.0])
    parser.add_argument("--hide", default="")
    args = parser.parse_args()
    base = default_detector().settings
    items = draw_items()
    for hide in args.hide.split(",") if args.hide else [None]:
        lists = dict(base.word_lists)
        if hide:
            lists[hide] = "missing"  # no such file: the language has no list
        for weight in args.weights:
            for absent in args.absent:
                for unlisted in args.unlisted:
                    settings = dataclasses.replace(
                        base,
                        word_weight=weight,
                        word_absent=absent,
                        word_unlisted=unlisted,
                        word_lists=tuple(sorted(lists.items())),
                    )
                    found = score(Detector(settings), items, hide)
                    print(hide, weight, absent, unlisted, found, flush=True)


if __name__ == "__main__":
    main()
