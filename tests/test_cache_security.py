"""The cache in a hostile directory: no code runs, no file of the victim's is touched, no hang.

Each test plants what an attacker with write access to a shared cache directory could
plant (a symlink, a FIFO, a forged entry) and checks that the cache ignores it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from normalize import cache

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")


class _Evil:
    """Unpickling it creates the file named by `marker`: a stand-in for running any code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (open, (self.marker, "w"))


def _forged(digest: str, value: Any) -> bytes:
    """An entry as an attacker can write it: our header, a checksum, but no key of ours."""
    payload = pickle.dumps(value)
    return (
        b"metanorm-cache\n" + digest.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
    )


def _entry_name(key: list[Any]) -> tuple[str, str]:
    digest = cache.make_key(key)
    return digest, digest[:40] + ".pickle"


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(directory))
    return directory


def _calls(value: Any) -> tuple[list[int], Any]:
    calls: list[int] = []

    def build() -> Any:
        calls.append(1)
        return value

    return calls, build


def test_a_symlinked_entry_is_not_unpickled(root: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    digest, name = _entry_name(["k"])
    victim = tmp_path / "victim-file"  # a file the victim owns, with a forged entry in it
    victim.write_bytes(_forged(digest, _Evil(str(marker))))
    (root / "thing").mkdir(parents=True, mode=0o700)
    root.chmod(0o700)
    (root / "thing" / name).symlink_to(victim)
    calls, build = _calls("fresh")
    assert cache.cached("thing", ["k"], build) == "fresh"
    assert calls == [1]
    assert not marker.exists()
    assert victim.read_bytes() == _forged(digest, _Evil(str(marker)))  # the target untouched


def test_a_forged_regular_entry_is_not_unpickled(root: Path, tmp_path: Path) -> None:
    """Even a private file of ours is not trusted unless it carries our key's HMAC."""
    marker = tmp_path / "code-ran"
    cache.cached("thing", ["other"], lambda: 0)  # the directories exist, ours and private
    digest, name = _entry_name(["k"])
    path = root / "thing" / name
    path.write_bytes(_forged(digest, _Evil(str(marker))))
    path.chmod(0o600)
    calls, build = _calls("fresh")
    assert cache.cached("thing", ["k"], build) == "fresh"
    assert calls == [1] and not marker.exists()


def test_a_symlinked_directory_is_refused_and_nothing_is_pruned(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    theirs = [victim / f"{i:040x}.pickle" for i in range(10)] + [victim / "notes.pickle"]
    for i, path in enumerate(theirs):
        path.write_text("the victim's data")
        os.utime(path, (i, i))
    root.mkdir(mode=0o700)
    (root / "thing").symlink_to(victim, target_is_directory=True)
    for i in range(cache._KEEP + 4):
        assert cache.cached("thing", ["k", i], lambda i=i: i) == i
    assert all(path.read_text() == "the victim's data" for path in theirs)
    assert len(list(victim.iterdir())) == len(theirs)
    err = capsys.readouterr().err
    assert err.count("warning: cache") == 1 and "symbolic link" in err


def test_pruning_removes_only_entries_it_wrote(root: Path, tmp_path: Path) -> None:
    cache.cached("thing", ["first"], lambda: 0)
    directory = root / "thing"
    victim = tmp_path / "victim.pickle"
    victim.write_text("keep me")
    planted_link = directory / ("f" * 40 + ".pickle")
    planted_link.symlink_to(victim)
    user_file = directory / "notes.pickle"
    user_file.write_text("not an entry")
    os.utime(user_file, (1, 1))
    for i in range(cache._KEEP + 4):
        cache.cached("thing", ["k", i], lambda i=i: i)
    assert victim.read_text() == "keep me"
    assert planted_link.is_symlink() and user_file.read_text() == "not an entry"
    written = [p for p in directory.iterdir() if len(p.stem) == 40 and not p.is_symlink()]
    assert len(written) == cache._KEEP


def test_a_fifo_at_an_entry_does_not_hang(tmp_path: Path) -> None:
    """Run in a child with a generous timeout: on a cache that opens before it checks, the
    child blocks for ever on the FIFO and the timeout says so."""
    root = tmp_path / "cache"
    script = f"""
import os, sys
os.environ["METANORM_CACHE_DIR"] = {str(root)!r}
from normalize import cache
cache.cached("thing", ["other"], lambda: 0)
digest = cache.make_key(["k"])
os.mkfifo(os.path.join({str(root)!r}, "thing", digest[:40] + ".pickle"))
print(cache.cached("thing", ["k"], lambda: "built"))
print(cache.cached("thing", ["k"], lambda: "built again"))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["built", "built"]  # the FIFO was replaced by an entry


def test_the_root_is_created_private(root: Path) -> None:
    cache.cached("thing", ["k"], lambda: 1)
    assert root.stat().st_mode & 0o777 == 0o700
    assert (root / "thing").stat().st_mode & 0o777 == 0o700
    assert (root / "key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722, 0o702])
def test_a_root_others_can_write_is_refused_with_one_warning(
    root: Path, mode: int, capsys: pytest.CaptureFixture[str]
) -> None:
    root.mkdir()
    root.chmod(mode)
    calls, build = _calls(7)
    for _ in range(3):
        assert cache.cached("thing", ["k"], build) == 7
    assert len(calls) == 3  # ran without the cache
    assert not (root / "thing").exists()
    err = capsys.readouterr().err
    assert err.count("warning: cache") == 1 and "writable by group or others" in err


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown")
def test_a_root_owned_by_someone_else_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root.mkdir(mode=0o700)
    os.chown(root, 65534, 65534)
    calls, build = _calls(7)
    assert cache.cached("thing", ["k"], build) == 7
    assert cache.cached("thing", ["k"], build) == 7
    assert len(calls) == 2
    assert "owned by another user" in capsys.readouterr().err


def test_a_key_others_can_read_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root.mkdir(mode=0o700)
    (root / "key").write_bytes(os.urandom(32))
    (root / "key").chmod(0o644)
    calls, build = _calls(1)
    assert cache.cached("thing", ["k"], build) == 1
    assert cache.cached("thing", ["k"], build) == 1
    assert len(calls) == 2
    assert "key file" in capsys.readouterr().err


def test_a_stale_temporary_file_is_removed(root: Path) -> None:
    cache.cached("thing", ["first"], lambda: 0)
    stale = root / "thing" / f".tmp-12345-{'a' * 16}.pickle"
    stale.write_bytes(b"half an entry from a killed run")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    cache.cached("thing", ["second"], lambda: 1)
    assert not stale.exists()
