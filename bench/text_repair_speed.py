"""How much the ftfy gate saves on clean text, and what it costs on broken text.

    python bench/text_repair_speed.py [../shared]

Prints median µs per text on clean articles built from the corpus's expected (clean)
texts, ~6 KB each, and on their mojibake, for: `ftfy.fix_text`; the gate's proofs with
`ftfy.fix_and_explain` itself on the lines they flag (`gate+ftfy`); and the gate with its
re-implementation of ftfy's loop (`gate`, what the stage runs). The middle one is the
"small exact precheck + ftfy's own loop" alternative (issue 15); `gate` stays while it
is more than 10% faster on the benchmark corpus (bench/README.md has the figures).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import ftfy
import yaml

from normalize.corpus import load_cases
from normalize.ruleset import default_rules_dir
from normalize.stages.text_repair.ftfy_fix import FtfyFixer, _segments


def articles(shared: Path, language_hint: str) -> list[str]:
    """~6 KB articles from the corpus's clean expected texts whose case name has the hint."""
    paragraphs = [
        case["expected"]["text"]
        for case in load_cases(shared / "corpus" / "dev.jsonl")
        if isinstance(case["expected"].get("text"), str) and language_hint in case["name"]
    ]
    out, current = [], ""
    for paragraph in paragraphs * 20:
        current += paragraph + "\n"
        if len(current.encode("utf-8")) >= 6000:
            out.append(current)
            current = ""
        if len(out) == 20:
            break
    return out


def ftfy_settings() -> dict:
    """The shipped ftfy settings, read straight from rules/mojibake.yaml."""
    data = yaml.safe_load((default_rules_dir() / "mojibake.yaml").read_text(encoding="utf-8"))
    (rule,) = [r for r in data["rules"] if r["kind"] == "ftfy"]
    return rule["settings"]


def median_us(function, texts: list[str], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            function(text)
            times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main() -> None:
    shared = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    )
    gate = FtfyFixer(ftfy_settings())
    explain_config = gate.config._replace(explain=True)

    def gate_then_ftfy(text: str) -> str:
        """The gate's proofs, then `ftfy.fix_and_explain` on the flagged segments."""
        config, out = explain_config, []
        for segment in _segments(text, config.max_decode_length):
            if config.unescape_html == "auto" and "<" in segment:
                config = config._replace(unescape_html=False)
            fixed = segment
            if gate.line_needs_ftfy(segment):
                fixed = ftfy.fix_and_explain(segment, config).text
            out.append(fixed)
        return "".join(out)

    print(
        f"{'texts':28s} {'ftfy.fix_text µs':>18s} {'gate+ftfy µs':>13s} {'gate µs':>10s}"
        f" {'speed-up':>9s}"
    )
    for label, hint in (
        ("clean English ~6 KB", "-en"),
        ("clean Russian ~6 KB", "-ru"),
        ("clean mixed ~6 KB", "ui"),
    ):
        texts = articles(shared, hint)
        if not texts:
            continue
        broken = [t.encode("utf-8").decode("cp1252", errors="replace") for t in texts]
        for name, sample in ((label, texts), ("  same, as UTF-8 mojibake", broken)):
            slow = median_us(lambda t: ftfy.fix_text(t, gate.config), sample)
            middle = median_us(gate_then_ftfy, sample)
            fast = median_us(gate.fix, sample)
            print(f"{name:28s} {slow:18.0f} {middle:13.0f} {fast:10.0f} {slow / fast:8.1f}x")


if __name__ == "__main__":
    main()
