"""`fix` rewrites safely: symlinks followed, owner and mode kept, hard links and files that
change while fixing are left alone, and a killed run's temporary file does not linger."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from normalize import dataset
from normalize.cli import EXIT_BAD_INPUT, EXIT_OK, main

DIRTY = '{"title":"Bridge  ","text":"Subscribe\\nThe bridge reopened."}\n'

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX files")


def test_a_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: Path) -> None:
    target = tmp_path / "data" / "real.jsonl"
    target.parent.mkdir()
    target.write_text(DIRTY)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert main(["fix", str(link)]) == EXIT_OK
    assert link.is_symlink() and link.resolve() == target
    assert main(["check", str(target)]) == EXIT_OK
    assert not [p for p in target.parent.iterdir() if p.name != "real.jsonl"]  # no leftovers


def test_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY)
    path.chmod(0o640)
    assert main(["fix", str(path)]) == EXIT_OK
    assert path.stat().st_mode & 0o7777 == 0o640


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY)
    os.chown(path, 65534, 65534)
    assert main(["fix", str(path)]) == EXIT_OK
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert main(["check", str(path)]) == EXIT_OK


def test_a_file_whose_owner_cannot_be_kept_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """What a user who is not root meets with another user's file in a shared directory."""

    def no_chown(fd: int, uid: int, gid: int) -> None:
        raise PermissionError("not permitted")

    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fchown", no_chown)
    monkeypatch.setattr(
        os,
        "fstat",
        lambda fd: os.stat_result((*real_fstat(fd)[:4], 12345, *real_fstat(fd)[5:10])),
    )
    assert main(["fix", str(path)]) == EXIT_BAD_INPUT
    assert path.read_text() == DIRTY
    assert "which a rewrite could not keep, left as it is" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["data.jsonl"]


def test_a_hard_link_is_refused_not_split(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY)
    other = tmp_path / "other-name.jsonl"
    os.link(path, other)
    assert main(["fix", str(path)]) == EXIT_BAD_INPUT
    assert path.read_text() == DIRTY and os.path.samefile(path, other)
    assert f"{path}: has 2 hard links" in capsys.readouterr().err


def test_a_file_changed_while_fixing_is_left_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY)
    inspect = dataset.inspect_file

    def inspect_then_append(normalizer, name):  # a writer appends while fix normalizes
        report = inspect(normalizer, name)
        with open(name, "a", encoding="utf-8") as stream:
            stream.write('{"title":"appended meanwhile"}\n')
        return report

    monkeypatch.setattr(dataset, "inspect_file", inspect_then_append)
    assert main(["fix", str(path)]) == EXIT_BAD_INPUT
    assert f"{path}: changed while fixing, left as it is" in capsys.readouterr().err
    assert path.read_text() == DIRTY + '{"title":"appended meanwhile"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["data.jsonl"]


def test_a_stale_temporary_file_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(DIRTY)
    stale = tmp_path / ".data.jsonl.abc123.metanorm-tmp"
    stale.write_text("half a file from a killed fix")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert main(["fix", str(path)]) == EXIT_OK
    assert not stale.exists()
    assert main(["check", str(path)]) == EXIT_OK
