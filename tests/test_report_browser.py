"""The report page in a real browser: headless Chromium renders it, takes a screenshot,
and its DOM shows every chart with bars and labels; its network log shows that the page
fetched nothing. Skipped where Chromium is not installed, mandatory in CI
(`METANORM_REQUIRE_BROWSER=1`, `.ci/run` installs Debian's `chromium`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from normalize.cli import main

# the flags this machine's closed network needs (no background fetches of Chromium's own)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("METANORM_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is required here (METANORM_REQUIRE_BROWSER=1) but not installed")
    pytest.skip("Chromium not installed: the browser test of the report page needs it")


def _browse(chromium: str, page: Path, tmp: Path, *extra: str) -> tuple[str, list[str]]:
    """The page's DOM after loading, and the URLs the page itself asked the network for."""
    netlog = tmp / f"{page.stem}.netlog.json"
    done = subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={tmp / ('profile-' + page.stem)}",
            f"--log-net-log={netlog}",
            *extra,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    events = json.loads(netlog.read_text("utf-8"))["events"]
    fetched = sorted(
        {
            e["params"]["url"]
            for e in events
            if "url" in e.get("params", {})
            # requests in the page's own partition (Chromium's own background traffic has none)
            and "file://" in str(e["params"].get("network_isolation_key", ""))
        }
    )
    return done.stdout.decode("utf-8", "replace"), fetched


class _Charts(HTMLParser):
    """Each `<svg class="chart …">` with the number of its bars and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, int | str]] = []
        self._current: dict[str, int | str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "svg" and "chart" in classes:
            self._current = {"kind": classes[-1], "bars": 0, "labels": 0}
            self.charts.append(self._current)
        elif self._current is not None and tag == "rect" and "bar" in classes:
            self._current["bars"] = int(self._current["bars"]) + 1
        elif self._current is not None and tag == "text" and "label" in classes:
            self._current["labels"] = int(self._current["labels"]) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._current = None


def test_report_renders_in_chromium_with_every_chart_and_no_fetch(chromium, shared_dir, tmp_path):
    inputs = tmp_path / "dev_inputs.jsonl"
    with open(shared_dir / "corpus" / "dev.jsonl", encoding="utf-8") as cases:
        rows = [json.loads(line)["input"] for line in cases if line.strip()]
    inputs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    page = tmp_path / "report.html"
    assert main(["report", "-o", str(page), str(inputs)]) == 0
    dom, fetched = _browse(chromium, page, tmp_path, "--dump-dom")
    assert fetched == []
    parser = _Charts()
    parser.feed(dom)
    kinds = [c["kind"] for c in parser.charts]
    assert kinds.count("bars") >= 6 and "histogram" in kinds  # rules, warnings, languages …
    for chart in parser.charts:
        assert chart["bars"] >= 1, chart
        if chart["kind"] == "bars":
            assert chart["labels"] == chart["bars"], chart  # every bar has its label
        else:
            assert chart["labels"] >= 1, chart
    screenshot = tmp_path / "report.png"
    _browse(chromium, page, tmp_path, f"--screenshot={screenshot}", "--window-size=1100,2400")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_the_network_check_sees_a_page_that_fetches(chromium, tmp_path):
    """The check above can fail: a page with an external image is caught."""
    page = tmp_path / "fetching.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>')
    _, fetched = _browse(chromium, page, tmp_path, "--dump-dom")
    assert fetched == ["http://example.invalid/x.png"]
