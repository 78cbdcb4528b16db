"""The real pre-commit framework runs this repository's hooks on a dirty dataset.

A temporary git repository holds a dirty JSONL file; `pre-commit try-repo` installs this
repository as a hook repository (its working tree, committed or not) and runs
`metanorm-check` (fails), `metanorm-fix` (rewrites), then `metanorm-check` again (passes).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DIRTY = [
    '{"title":"Bridge reopens","text":"Subscribe\\nThe bridge in Kiev reopened.  \\n\\nAdvertisement"}',
    '{"headline":"Tram lines","body":"Read more\\nNew tram lines open in spring.","lang":"English"}',
]


def _pre_commit() -> list[str]:
    found = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(found).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    return [found]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def dataset_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "datasets"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "news.jsonl").write_text("\n".join(DIRTY) + "\n", encoding="utf-8")
    with gzip.open(repo / "more.jsonl.gz", "wt", encoding="utf-8") as stream:
        stream.write(DIRTY[0] + "\n")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: HEAD\n    hooks:\n"
        "      - id: metanorm-check\n      - id: metanorm-fix\n",
        encoding="utf-8",
    )
    _git(repo, "add", ".")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "dirty data")
    return repo


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [*_pre_commit(), "try-repo", str(REPO), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_check_fails_then_fix_rewrites_then_check_passes(dataset_repo, tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("needs this repository as a git checkout")
    home = tmp_path / "pre-commit-home"
    first = _try_repo(dataset_repo, "metanorm-check", home)
    assert first.returncode == 1, first.stdout + first.stderr
    assert re.search(r"news\.jsonl:1:\d+: ui\.en\.lines", first.stdout)  # path:line:col
    assert "more.jsonl.gz:1:" in first.stdout

    fixed = _try_repo(dataset_repo, "metanorm-fix", home)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # files were modified
    assert "files were modified by this hook" in fixed.stdout
    text = (dataset_repo / "news.jsonl").read_text(encoding="utf-8")
    assert "Subscribe" not in text and "Kyiv" in text
    assert text.endswith("\n")

    again = _try_repo(dataset_repo, "metanorm-check", home)
    assert again.returncode == 0, again.stdout + again.stderr
