"""How much the legacy code-page repair costs per clean 5 KB paragraph, and per broken one.

Run: python bench/legacy_speed.py [--rules DIR]. Prints microseconds per paragraph for clean
English, French, German, Russian, Ukrainian and Belarusian text (the gate's cost), and for
paragraphs damaged with each rule's code-page pair (the full judgement's cost).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from normalize.ruleset import load_ruleset  # noqa: E402
from normalize.stages.text_repair.legacy_repair import compile_repairer  # noqa: E402

# Sentences written for this benchmark; each language's list is repeated up to 5 KB.
SENTENCES = {
    "en": "The city council approved the budget on Tuesday after a long debate about "
    "buses, bridges and the new library, which will open in May.",
    "fr": "« ÇA VA ALLER », a répété le maire à l'ÉCOLE ; les élèves âgés de dix ans "
    "ont préféré la fête d'été près du théâtre où l'on sert des crêpes.",
    "de": "Die Bürgermeisterin eröffnete am Dienstag die neue Straßenbahn; Grüße aus "
    "Köln und Düsseldorf, schöne Größe, ÄÖÜ-Großbuchstaben.",
    "ru": "«Мы не ждём чудес», — сказала глава совета жильцов. Городские власти "
    "утвердили новый бюджет на транспорт; НАТО, ООН и МВД прокомментировали это.",
    "uk": "Міська рада ухвалила бюджет на громадський транспорт, а ґанок їдальні "
    "відремонтують ще до зими, повідомили в об'єднанні «Київпастранс».",
    "be": "Аўтобус з Магілёва прыйшоў у Мінск са спазненнем; сёння ўлада абяцала "
    "новы расклад і дадатковыя рэйсы ў вёскі раёна.",
}


def paragraph(sentence: str, size: int = 5000) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(sentence)
    return " ".join(parts)[:size].rsplit(" ", 1)[0]


def timeit(fn, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return min(times) * 1e6  # best of N: the machine is shared, the minimum is the cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    ruleset = load_ruleset(args.rules)
    repairer = compile_repairer(ruleset.rules)
    if repairer is None:
        sys.exit("no legacy-codepage rules loaded")
    repairer.repair("Çàãîëîâîê îòêðûâàåìîãî ìàòåðèàëà")  # load the profiles once
    print(f"{'paragraph':34s} {'chars':>6s} {'µs/paragraph':>13s} changed")
    for lang, sentence in SENTENCES.items():
        text = paragraph(sentence)
        micros = timeit(repairer.repair, text, args.repeat)
        changed = bool(repairer.repair(text))
        print(f"clean {lang:28s} {len(text):6d} {micros:13.1f} {changed}")
    russian = paragraph(SENTENCES["ru"])
    for rule in repairer.rules:
        written, read = rule.spec["written_in"], rule.spec["read_as"]
        source = paragraph(SENTENCES["uk"]) if "koi8_u" in (written, read) else russian
        broken = source.encode(written, errors="replace").decode(read, errors="replace")
        micros = timeit(repairer.repair, broken, max(3, args.repeat // 10))
        changed = bool(repairer.repair(broken))
        print(f"broken {rule.id:27s} {len(broken):6d} {micros:13.1f} {changed}")


if __name__ == "__main__":
    main()
