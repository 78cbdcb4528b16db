"""Replace a file's content atomically without surprising its owner (the core of `fix`).

- A symlink is followed: its target is rewritten and the link stays a link.
- The new content goes to a temporary file beside the target, gets the target's mode,
  owner and group, is synced, then renamed over it: a crash leaves the old file or the new.
  When the owner cannot be kept (another user's file, and we are not root), the file is
  refused and left as it is.
- A file with more than one hard link is refused: a rename would split the links.
- A file that changed after it was read (a line appended meanwhile) is not overwritten.
- Temporary files a killed run left beside the target are removed by the next run.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".metanorm-tmp"
_STALE_SECONDS = 600


class Refused(Exception):
    """The file is left as it is; the message says why (`path: reason, left as it is`)."""


def stamp(path: str | Path) -> tuple[int, ...]:
    """What says the file is still the one that was read: device, inode, size, mtime."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def rewrite(path: str | Path, data: bytes, read_stamp: tuple[int, ...]) -> None:
    """Put `data` in place of the file at `path` (Refused, or OSError, when it cannot)."""
    target = Path(os.path.realpath(path))
    st = os.stat(target)
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"{path}: not a regular file, left as it is")
    if st.st_nlink > 1:
        raise Refused(
            f"{path}: has {st.st_nlink} hard links and a rewrite would split them, left as it is"
        )
    _remove_stale(target)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            _keep_owner_and_mode(stream.fileno(), st, path)
            os.fsync(stream.fileno())
        if stamp(target) != read_stamp:
            raise Refused(f"{path}: changed while fixing, left as it is")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep_owner_and_mode(fd: int, st: os.stat_result, path: str | Path) -> None:
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except PermissionError:
            raise Refused(
                f"{path}: owned by uid {st.st_uid} gid {st.st_gid}, which a rewrite "
                "could not keep, left as it is"
            ) from None
    os.fchmod(fd, stat.S_IMODE(st.st_mode))


def _remove_stale(target: Path) -> None:
    """Temporary files of this target older than a few minutes: a killed run's."""
    now = time.time()
    for leftover in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            st = leftover.lstat()
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > _STALE_SECONDS:
                leftover.unlink()
