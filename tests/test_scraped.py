"""HTML bodies → text, and scraper/aggregator debris (rules/html.yaml, rules/debris.yaml)."""

from __future__ import annotations

import io
import json

import pytest

from normalize import Normalizer
from normalize.cli import main
from normalize.stages.scraped import debris
from normalize.stages.scraped.html import decode_references, html_to_text, looks_like_html
from normalize.undo import rebuild_input
from normalize.work import WorkRecord

URL = "https://ria.ru/20210518/swift-1732852956.html"
NEWSAPI_CONTENT = (
    f"{URL}\r\n SWIFT, () ... , 18.05.2021\r\n"
    "/html/head/meta[@name='og:title']/@content\r\n"
    "/html/head/meta[@name='og:description']/@content\r\n"
    "https://cdn25.img.ria.ru/imag… [+834 chars]"
)


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def test_html_body_becomes_lines(normalizer):
    out = normalizer.normalize({"text": "<p>Он сказал&nbsp;&mdash; нет.</p>"})
    assert out["text"] == "Он сказал\u00a0— нет."
    assert out["normalization"]["fired"][0] == "html.to-text"


def test_blocks_breaks_scripts_and_escaped_slashes():
    body = (
        "<p><strong><\\/strong><\\/p>\n<p><b>один</b> два<br>три</p>"
        "<script>var p = '<p>x</p>';</script><style>p{}</style>"
        "<ul><li>четыре</li><li>пять &amp; шесть</li></ul><!-- note -->"
    )
    assert html_to_text(body) == "один два\nтри\nчетыре\nпять & шесть"


@pytest.mark.parametrize(
    ("text", "is_html"),
    [
        ("<p>x</p>", True),
        ("a<br>b", True),
        ("<\\/p>", True),
        ("x < 3 and y > 2", False),
        ("<3 you", False),
        ("Use <placeholder> here", False),
        ("plain text", False),
    ],
)
def test_detection_is_by_known_tags(text, is_html):
    assert looks_like_html(text) is is_html


def test_entities_without_tags_keep_the_lines(normalizer):
    out = normalizer.normalize({"title": "Bang &amp; Olufsen", "text": "A &laquo;b&raquo;\nAT&T"})
    assert out["title"] == "Bang & Olufsen"
    assert out["text"] == "A «b»\nAT&T"
    assert decode_references("&copy 2021 &bogus; &#8212;") == "&copy 2021 &bogus; —"


def test_html_step_is_one_change_and_undoes():
    raw = {"title": "<b>T</b>", "text": "<p>один</p><p>два&nbsp;три</p>", "summary": "<i>s</i>"}
    out = Normalizer(audit=True).normalize(raw)
    html_changes = [c for c in out["normalization"]["changes"] if c["rule"] == "html.to-text"]
    assert [c["field"] for c in html_changes] == ["title", "summary", "text"]
    assert rebuild_input(out) == raw


def test_newsapi_debris_goes_and_is_flagged(normalizer):
    out = normalizer.normalize({"url": URL, "title": "SWIFT", "content": NEWSAPI_CONTENT})
    assert out["text"] == "SWIFT, () ... , 18.05.2021\nhttps://cdn25.img.ria.ru/imag"
    flags = out["normalization"]["flags"]
    assert flags["text"] == ["truncated", "letterless"]
    fired = out["normalization"]["fired"]
    for rule in ("debris.truncated", "debris.xpath-template", "debris.own-url"):
        assert rule in fired
    again = normalizer.normalize(json.loads(json.dumps(out)))
    assert again == out  # the marker is gone, the flag stays


def test_debris_removal_is_in_the_audit():
    raw = {"url": URL, "title": "SWIFT", "content": NEWSAPI_CONTENT}
    out = Normalizer(audit=True).normalize(raw)
    rules = [c["rule"] for c in out["normalization"]["changes"] if c["field"] == "text"]
    assert rules[:3] == ["debris.truncated", "debris.xpath-template", "debris.own-url"]
    assert rebuild_input(out) == raw


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose 5/10 in the year.\nand/or",
        "The council approved the plan [+5 chars] in March.",
        "Réponse : « Très bien », dit-il, et il part.",
    ],
)
def test_prose_is_no_debris(normalizer, text):
    out = normalizer.normalize({"title": "T", "text": text})
    assert out["text"] == text
    assert "flags" not in out["normalization"]


def test_letterless_text_is_kept_and_marked_for_later_stages():
    text = "2020 , , , . , 1 36 46 , 1 95 110 ."
    work = WorkRecord(values={"text": text, "meta": {}})
    rule = Normalizer().ruleset.by_id("debris.letterless")
    assert rule is not None
    debris.DebrisRule.build(rule).apply(work, "text")
    assert work.get("text") == text
    assert debris.flagged(work, "text", "letterless")
    assert not debris.flagged(work, "text", "truncated")


def test_agency_stamp_leaves_the_summary(normalizer):
    out = normalizer.normalize({"title": "T", "description": "Текст... РИА Новости, 18.05.2021"})
    assert out["summary"] == "Текст..."


def test_explain_shows_mapping_html_and_debris(monkeypatch, capsys):
    record = {
        "source": {"id": None, "name": "Ria.ru"},
        "url": URL,
        "title": "SWIFT",
        "publishedAt": "2021-05-18T15:33:45Z",
        "description": "<p>Банк&nbsp;России</p>",
        "content": NEWSAPI_CONTENT,
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(record)))
    assert main(["explain"]) == 0
    shown = capsys.readouterr().out
    assert "map: source.name → source" in shown
    assert "map: publishedAt → published" in shown
    for rule in ("html.to-text", "debris.truncated", "debris.xpath-template", "debris.own-url"):
        assert f": {rule} (" in shown


@pytest.mark.parametrize(
    "text", ["&lt;b&gt;bold&lt;/b&gt; text", "<p>a &amp;amp; b</p>", "x &amp;lt;p&amp;gt; y"]
)
def test_escaped_markup_settles_in_one_run(normalizer, text):
    out = normalizer.normalize({"title": "T", "text": text})
    assert normalizer.normalize(json.loads(json.dumps(out))) == out
