"""A persistent cache of derived data, so that start-up does not redo slow work.

Some things metanorm needs are slow to derive and never change between runs: the rule
files parsed and validated (YAML is slow), langdetect's profiles turned into our model,
babel's language-name index. `cached(name, key, build)` returns `build()`, and keeps the
result in the user's cache directory so that the next process with the same `key` loads
it instead (a few milliseconds).

The cache is never needed for correctness:
- the key is a SHA-256 of everything the value is derived from (the caller's inputs, this
  package's source code, the Python version), so a changed input is a miss, never a stale hit;
- any problem (no directory, no permission, a truncated, corrupt, foreign or old-format
  file) is a miss: the value is built again and, when possible, written again;
- writes are atomic (a temporary file beside, then `os.replace`), so a reader never sees
  half a file, and two processes writing the same entry both leave a whole one.

Where: `$METANORM_CACHE_DIR`, else `$XDG_CACHE_HOME/metanorm`, else `~/.cache/metanorm`.
`METANORM_CACHE_DIR=off` (or `0`, `none`, `false`, empty) turns the cache off.

Values are pickled. Pickle runs code when loaded, so only files this tool wrote are
read: each entry carries an HMAC under a per-user secret (0600), and the files are opened
without following symlinks, in directories that must be ours and private
(`normalize/cache_files.py` says how; a directory that is not is refused with one warning).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from normalize import cache_files as files

T = TypeVar("T")

FORMAT = 2  # bump when the file layout changes
ENV_DIR = "METANORM_CACHE_DIR"
_OFF = {"", "0", "off", "none", "false", "no"}
_KEEP = files.KEEP

_PACKAGE_DIR = Path(__file__).resolve().parent
_lock = threading.Lock()
_code_digest: list[str] = []


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    value = os.environ.get(ENV_DIR)
    if value is not None:
        if value.strip().lower() in _OFF:
            return None
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "metanorm"


def code_digest() -> str:
    """A hash of this package's Python source and the interpreter: code changes are misses."""
    if not _code_digest:
        digest = hashlib.sha256()
        digest.update(f"{FORMAT}|{sys.version}|{sys.implementation.cache_tag}".encode())
        for path in sorted(_PACKAGE_DIR.rglob("*.py")):
            digest.update(path.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"<unreadable>")
            digest.update(b"\0")
        _code_digest.append(digest.hexdigest())
    return _code_digest[0]


def make_key(parts: Sequence[Any]) -> str:
    """The hex SHA-256 of the key parts and the code digest.

    Parts are plain data (str, bytes, int, float, bool, None, tuples and lists of them);
    anything else is refused, so that a key never depends on an object's identity.
    """
    digest = hashlib.sha256()
    digest.update(code_digest().encode())
    _feed(digest, list(parts))
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if isinstance(value, bytes):
        digest.update(b"b%d:" % len(value) + value)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        digest.update(b"s%d:" % len(data) + data)
    elif value is None or isinstance(value, bool | int | float):
        data = repr(value).encode()
        digest.update(b"n%d:" % len(data) + data)
    elif isinstance(value, tuple | list):
        digest.update(b"l%d:" % len(value))
        for item in value:
            _feed(digest, item)
    else:
        raise TypeError(f"cache key parts are plain data, not {type(value).__name__}")


def file_stamp(path: str | Path) -> tuple[str, int, int]:
    """A cheap stand-in for a file's content in a key (path, size, mtime in ns).

    For inputs that change only by being reinstalled (a library's data files); files a
    user edits are keyed by their bytes instead.
    """
    try:
        st = os.stat(path)
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_size, st.st_mtime_ns)


def cached(name: str, key: Sequence[Any], build: Callable[[], T]) -> T:
    """`build()`, or the value an earlier process built under the same name and key."""
    directory = cache_dir()
    if directory is None:
        return build()
    digest = make_key(key)
    found = load(directory, name, digest)
    if found is not _MISS:
        return found  # type: ignore[no-any-return]
    value = build()
    store(directory, name, digest, value)
    return value


class _Miss:
    def __repr__(self) -> str:
        return "<cache miss>"


_MISS: Any = _Miss()


def _filename(digest: str) -> str:
    return digest[:40] + files.SUFFIX


def load(directory: Path, name: str, digest: str) -> Any:
    """The value stored under `digest`, or `_MISS` (never raises).

    Only an entry signed with this user's key is unpickled: one we wrote ourselves.
    """
    payload = files.read_entry(directory, name, _filename(digest), digest)
    if payload is None:
        return _MISS
    try:
        return pickle.loads(payload)
    except Exception:  # any unpickling problem is a miss
        return _MISS


def store(directory: Path, name: str, digest: str, value: Any) -> bool:
    """Write the value atomically; False (and nothing written) on any problem."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable value is simply not cached
        return False
    with _lock:
        return files.write_entry(directory, name, _filename(digest), digest, payload)


def clear() -> None:
    """Remove every cache entry (for tests and `rm -rf`-shy users)."""
    directory = cache_dir()
    if directory is not None:
        files.clear(directory)


# ---- the rule set ---------------------------------------------------------------------------


def load_ruleset(directories: Sequence[str | Path] = (), include_default: bool = True) -> Any:
    """`normalize.ruleset.load_ruleset(directories)`, from the cache when nothing changed.

    The key is every rule file's path and bytes (in load order) plus the package's code, so
    an edited, added or removed rule file is a miss. A malformed file raises exactly as
    `load_ruleset` does (errors are never cached).
    """
    from normalize import ruleset as ruleset_mod

    directory = cache_dir()
    if directory is None:
        return ruleset_mod.load_ruleset(directories, include_default=include_default)
    dirs = [ruleset_mod.default_rules_dir()] if include_default else []
    dirs.extend(Path(d) for d in directories)
    try:
        before = _rule_files_key(dirs, ruleset_mod.rule_files)
    except (OSError, ruleset_mod.RuleFileError):
        before = None  # let load_ruleset report it with its own message
    if before is None:
        return ruleset_mod.load_ruleset(directories, include_default=include_default)
    digest = make_key(["ruleset", before])
    found = load(directory, "ruleset", digest)
    if isinstance(found, ruleset_mod.RuleSet):
        return found
    value = ruleset_mod.load_ruleset(directories, include_default=include_default)
    try:
        after = _rule_files_key(dirs, ruleset_mod.rule_files)
    except (OSError, ruleset_mod.RuleFileError):
        after = None
    if after == before:  # a file edited while we read it: do not store a mixed view
        store(directory, "ruleset", digest, value)
    return value


def _rule_files_key(dirs: Sequence[Path], rule_files: Callable[[Path], list[Path]]) -> list[Any]:
    parts: list[Any] = []
    for directory in dirs:
        parts.append(str(directory))
        for path in rule_files(directory):
            parts.append(str(path))
            parts.append(path.read_bytes())
    return parts


def built_from_babel(build: Callable[[], T]) -> Callable[[], T]:
    """`build`, then drop the locale data babel kept while it ran.

    babel keeps every locale it has read (the language-name index reads all of them, about
    100 MB); once the derived table is built (and stored here) that memory is dead weight.
    """

    def run() -> T:
        try:
            return build()
        finally:
            import babel.localedata

            clear = getattr(babel.localedata, "clear_caches", None)  # babel ≥ 2.15
            if clear is not None:
                clear()

    return run
