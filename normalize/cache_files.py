"""The cache's files, handled so that a hostile directory can neither run code nor hurt.

A cache directory may be shared, or prepared by someone else (`METANORM_CACHE_DIR` pointing
at `/tmp/...`). So every access goes through directory file descriptors (`dir_fd=`), never
through a path that could be swapped for a symlink between a check and a use:

- the root and each entry directory are opened with `O_NOFOLLOW | O_DIRECTORY` and must be
  ours and not writable by group or others; otherwise the cache is refused with one warning
  on stderr and the run goes on without it;
- an entry is opened with `O_NOFOLLOW | O_NONBLOCK` (a symlink fails, a FIFO does not block)
  and read only when `fstat` says it is a regular file of ours that others cannot write;
- entries are signed with HMAC-SHA256 under a per-user secret (`key`, 32 random bytes, mode
  0600, in the root): a file we did not write fails the check and is never unpickled;
- pruning removes only regular files of ours whose names we write (no symlinks followed).
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

MAGIC = b"metanorm-cache\n"
SUFFIX = ".pickle"
KEEP = 6  # entries kept per name (older ones are removed when a new one is written)
KEY_FILE = "key"
KEY_SIZE = 32
_ENTRY_NAME = re.compile(r"[0-9a-f]{40}\.pickle")
_TEMP_NAME = re.compile(r"\.tmp-[0-9]+-[0-9a-f]{16}\.(pickle|key)")
_STALE_SECONDS = 600  # a temporary file this old was left by a killed process
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

_warned: set[str] = set()
_keys: dict[str, bytes] = {}


class Refused(OSError):
    """The cache directory is not safe to use; the message says why."""


def warn_once(root: Path, reason: str) -> None:
    """One warning per cache directory and process: the run goes on without the cache."""
    if str(root) in _warned:
        return
    _warned.add(str(root))
    print(f"metanorm: warning: cache {root}: {reason}; running without the cache", file=sys.stderr)


def _ours(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _check_dir(fd: int, where: Path) -> None:
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode):
        raise Refused(f"{where} is not a directory")
    if st.st_uid != os.getuid():
        raise Refused(f"{where} is owned by another user (uid {st.st_uid})")
    if st.st_mode & 0o022:
        raise Refused(f"{where} is writable by group or others (mode {st.st_mode & 0o777:o})")


def _open_dir(name: str | Path, where: Path, create: bool, dir_fd: int | None = None) -> int:
    """An fd of a safe directory; FileNotFoundError when absent, Refused when unsafe."""
    if create:
        with contextlib.suppress(FileExistsError):
            if dir_fd is None:
                os.makedirs(name, mode=0o700)
            else:
                os.mkdir(name, 0o700, dir_fd=dir_fd)
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise Refused(f"{where} is a symbolic link or not a directory") from None
        raise
    try:
        _check_dir(fd, where)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def entry_dir(root: Path, name: str, create: bool) -> Iterator[int]:
    """The fd of `root/name`, checked; a refused directory warns once, then raises Refused."""
    try:
        root_fd = _open_dir(root, root, create)
    except Refused as exc:
        warn_once(root, str(exc))
        raise
    try:
        try:
            fd = _open_dir(name, root / name, create, dir_fd=root_fd)
        except Refused as exc:
            warn_once(root, str(exc))
            raise
        try:
            yield fd
        finally:
            os.close(fd)
    finally:
        os.close(root_fd)


def secret(root: Path) -> bytes:
    """The per-user key that signs entries, made on first use (0600, in the root)."""
    found = _keys.get(str(root))
    if found is not None:
        return found
    try:
        root_fd = _open_dir(root, root, create=True)
    except Refused as exc:
        warn_once(root, str(exc))
        raise
    try:
        key = _read_regular(KEY_FILE, root_fd, limit=KEY_SIZE + 1)
        if key is None:
            _make_key(root_fd)
            key = _read_regular(KEY_FILE, root_fd, limit=KEY_SIZE + 1)
        if key is None or len(key) != KEY_SIZE:
            reason = f"{root / KEY_FILE} is not a private {KEY_SIZE}-byte key file of ours"
            warn_once(root, reason)
            raise Refused(reason)
    finally:
        os.close(root_fd)
    _keys[str(root)] = key
    return key


def _make_key(root_fd: int) -> None:
    """Write the key beside and link it in: two processes racing both end with one key."""
    tmp = _temp_name("key")
    fd = os.open(tmp, _WRITE_FLAGS, 0o600, dir_fd=root_fd)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_SIZE))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, KEY_FILE, src_dir_fd=root_fd, dst_dir_fd=root_fd)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=root_fd)


def _read_regular(name: str, dir_fd: int, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file of ours that others cannot write; None otherwise."""
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _ours(st):
            return None
        if name == KEY_FILE and st.st_mode & 0o077:
            return None
        return handle.read() if limit is None else handle.read(limit)


def sign(key: bytes, digest: str, payload: bytes) -> bytes:
    return hmac.new(key, digest.encode() + b"\n" + payload, "sha256").digest()


def read_entry(root: Path, name: str, filename: str, digest: str) -> memoryview | None:
    """The payload of a signed entry written under `digest`, or None (never raises)."""
    try:
        key = secret(root)
        with entry_dir(root, name, create=False) as dfd:
            data = _read_regular(filename, dfd)
    except OSError:
        return None
    if data is None:
        return None
    header = MAGIC + digest.encode() + b"\n"
    if not data.startswith(header) or len(data) < len(header) + 32:
        return None
    mac = data[len(header) : len(header) + 32]
    payload = memoryview(data)[len(header) + 32 :]
    if not hmac.compare_digest(sign(key, digest, bytes(payload)), mac):
        return None
    return payload


def write_entry(root: Path, name: str, filename: str, digest: str, payload: bytes) -> bool:
    """Write a signed entry atomically, then prune; False (nothing written) on any problem."""
    try:
        key = secret(root)
        with entry_dir(root, name, create=True) as dfd:
            data = MAGIC + digest.encode() + b"\n" + sign(key, digest, payload) + payload
            tmp = _temp_name("pickle")
            fd = os.open(tmp, _WRITE_FLAGS, 0o600, dir_fd=dfd)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, filename, src_dir_fd=dfd, dst_dir_fd=dfd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dfd)
                raise
            prune(dfd, keep=filename)
        return True
    except OSError:
        return False


def _temp_name(kind: str) -> str:
    return f".tmp-{os.getpid()}-{os.urandom(8).hex()}.{kind}"


def _own_files(dir_fd: int) -> Iterator[tuple[str, os.stat_result]]:
    """Regular files of ours in a directory, by name (symlinks and others skipped)."""
    with os.scandir(dir_fd) as entries:
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid():
                yield entry.name, st


def prune(dir_fd: int, keep: str) -> None:
    """Remove all but the newest `KEEP` entries, and temporary files a killed run left."""
    try:
        entries, now = [], time.time()
        for name, st in _own_files(dir_fd):
            if _ENTRY_NAME.fullmatch(name) and name != keep:
                entries.append((st.st_mtime_ns, name))
            elif _TEMP_NAME.fullmatch(name) and now - st.st_mtime > _STALE_SECONDS:
                os.unlink(name, dir_fd=dir_fd)
        entries.sort(reverse=True)
        for _, old in entries[KEEP - 1 :]:
            os.unlink(old, dir_fd=dir_fd)
    except OSError:
        pass


def clear(root: Path) -> None:
    """Remove every entry this tool wrote under the root (symlinks are not followed)."""
    try:
        root_fd = _open_dir(root, root, create=False)
    except OSError:
        return
    try:
        with os.scandir(root_fd) as names:
            subdirs = [e.name for e in names if e.is_dir(follow_symlinks=False)]
        for name in subdirs:
            try:
                fd = _open_dir(name, root / name, False, dir_fd=root_fd)
            except OSError:
                continue
            try:
                for entry, _ in list(_own_files(fd)):
                    if _ENTRY_NAME.fullmatch(entry) or _TEMP_NAME.fullmatch(entry):
                        os.unlink(entry, dir_fd=fd)
            finally:
                os.close(fd)
    finally:
        os.close(root_fd)
