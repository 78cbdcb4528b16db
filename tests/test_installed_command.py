"""The installed `metanorm` command, as a user and pre-commit run it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DIRTY = '{"title":"Bridge","text":"Subscribe\\nThe bridge reopened."}\n'
BAD_RULES = (
    "rules:\n  - id: ui.x.y\n    description: d\n    kind: ui-pattern\n    pattern: '(?=a)(a)\\1'\n"
)


@pytest.fixture(scope="module")
def metanorm() -> str:
    found = Path(sys.executable).with_name("metanorm")
    if found.exists():
        return str(found)
    on_path = shutil.which("metanorm")
    if on_path:
        return on_path
    pytest.skip("the metanorm command is not installed (pip install -e .)")


def _run(metanorm: str, *args: str, stdin: str = "", cwd: Path | None = None):
    return subprocess.run(
        [metanorm, *args],
        input=stdin.encode(),
        capture_output=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )


@pytest.fixture
def dirty(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY, encoding="utf-8")
    return path


def test_normalize_check_fix_diff_explain(metanorm, dirty):
    done = _run(metanorm, str(dirty))
    assert done.returncode == 0 and json.loads(done.stdout)["text"] == "The bridge reopened."
    check = _run(metanorm, "check", str(dirty))
    assert check.returncode == 1
    assert re.search(rf"{re.escape(str(dirty))}:1:\d+: ui\.en\.lines".encode(), check.stdout)
    diff = _run(metanorm, "diff", str(dirty))
    assert diff.returncode == 1 and diff.stdout.startswith(b"--- a/")
    explain = _run(metanorm, "explain", stdin=DIRTY)
    assert explain.returncode == 0 and b"ui.en.lines" in explain.stdout
    fix = _run(metanorm, "fix", str(dirty))
    assert fix.returncode == 0 and b"fixed" in fix.stdout
    assert _run(metanorm, "check", str(dirty)).returncode == 0


def test_rules_commands(metanorm, tmp_path):
    assert _run(metanorm, "rules", "test").returncode == 0
    assert _run(metanorm, "rules", "lint").returncode == 0
    listing = _run(metanorm, "rules", "list")
    assert listing.returncode == 0 and b"schema.aliases\tfield-aliases" in listing.stdout


@pytest.mark.parametrize("command", [[], ["check"], ["fix"], ["diff"], ["rules", "test"]])
def test_a_bad_rule_file_is_refused_and_nothing_changes(metanorm, dirty, tmp_path, command):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.yaml").write_text(BAD_RULES, encoding="utf-8")
    before = dirty.read_bytes()
    args = [*command, "--rules", str(rules)] + ([] if command[:1] == ["rules"] else [str(dirty)])
    done = _run(metanorm, *args)
    assert done.returncode == 2, done.stderr
    assert f"{rules / 'evil.yaml'}:5:".encode() in done.stderr  # the pattern's line
    assert b"regular expression" in done.stderr
    assert dirty.read_bytes() == before


@pytest.mark.parametrize("command", [[], ["check"], ["fix"], ["diff"]])
def test_unreadable_inputs_are_reported_and_nothing_changes(metanorm, dirty, tmp_path, command):
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    done = _run(metanorm, *command, str(folder))
    assert done.returncode == 2 and b"folder.jsonl" in done.stderr
    fake_gzip = tmp_path / "broken.jsonl.gz"
    fake_gzip.write_bytes(b"not gzip at all\n")
    before = dirty.read_bytes()
    done = _run(metanorm, *command, str(dirty), str(fake_gzip))
    assert done.returncode == 2 and b"broken.jsonl.gz" in done.stderr, done.stderr
    assert b"Traceback" not in done.stderr
    assert dirty.read_bytes() == before
    assert fake_gzip.read_bytes() == b"not gzip at all\n"
