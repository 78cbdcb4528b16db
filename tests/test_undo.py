"""--audit then undo rebuilds every input exactly: the proof that nothing is lost."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import Normalizer
from normalize.cli import EXIT_BAD_INPUT, EXIT_OK, main
from normalize.corpus import corpus_inputs
from normalize.record import dumps
from normalize.undo import rebuild_input

AUDITED = Normalizer(audit=True)


def test_undo_rebuilds_every_corpus_record(shared_dir):
    count = 0
    for raw in corpus_inputs(shared_dir):
        output = json.loads(dumps(AUDITED.normalize(raw)))
        assert rebuild_input(output) == raw
        again = AUDITED.normalize(output)
        assert dumps(again) == dumps(output), "audited output is not idempotent"
        assert rebuild_input(json.loads(dumps(again))) == raw
        count += 1
    assert count > 1000


def test_changes_replay_forward_to_the_output():
    raw = {
        "lang": "English",
        "date": "28.01.2022",
        "text": "Subscribe\nOfficials in Kiev met.",
        "_id": 7,
    }
    output = AUDITED.normalize(raw)
    values = {"text": raw["text"], "published": raw["date"], "language": raw["lang"], "id": 7}
    for change in output["normalization"]["changes"]:
        assert values.get(change["field"], change["before"]) == change["before"]
        values[change["field"]] = change["after"]
    for name in ("text", "published", "language", "id"):
        assert values[name] == output[name]


def test_cli_audit_then_undo(tmp_path):
    rows = [
        {
            "headline": "Bridge",
            "body": "Subscribe\nThe bridge in Kiev reopened.",
            "x": [1, {"y": None}],
        },
        {
            "guid": 5,
            "title": "Canonical",
            "text": "Fine.",
            "meta": {"a": 1},
            "normalization": {"fired": []},
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    audited, rebuilt = tmp_path / "audited.jsonl", tmp_path / "rebuilt.jsonl"
    assert main([str(source), "--audit", "-o", str(audited)]) == EXIT_OK
    assert main(["undo", str(audited), "-o", str(rebuilt)]) == EXIT_OK
    assert [json.loads(line) for line in rebuilt.read_text(encoding="utf-8").splitlines()] == rows


def test_undo_refuses_output_without_audit(tmp_path, capsys):
    plain = tmp_path / "plain.jsonl"
    plain.write_text(dumps(Normalizer().normalize({"text": "x"})) + "\n", encoding="utf-8")
    assert main(["undo", str(plain)]) == EXIT_BAD_INPUT
    assert f"{plain}:1: no normalization.changes" in capsys.readouterr().err


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
_lines = st.lists(
    st.one_of(
        _text,
        st.sampled_from(["Subscribe", "Kiev", "Читать далее", "© AP Photo / X", "28.01.2022"]),
    ),
    max_size=6,
).map("\n".join)
_values = st.one_of(st.none(), st.booleans(), st.integers(), _text, st.lists(_text, max_size=2))
_records = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(_lines, _values),
        "text": st.one_of(_lines, _values),
        "date": st.one_of(_text, st.sampled_from(["28.01.2022", "2022-01-28T14:05:00Z"]), _values),
        "lang": st.one_of(st.sampled_from(["en", "English", "ru", "uk-UA", "xx"]), _values),
        "place": st.one_of(st.sampled_from(["Kiev", "Odessa, Texas", "Nowhere"]), _values),
        "id": _values,
        "url": _values,
        "extra": _values,
    },
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_records)
def test_undo_rebuilds_generated_records(raw):
    output = json.loads(dumps(AUDITED.normalize(raw)))
    assert rebuild_input(output) == raw
