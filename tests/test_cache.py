"""The persistent cache: hits, misses, corruption, permissions, and equal results.

The cache must never change an answer: every test that uses a real table checks that the
cached value equals the freshly built one.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from normalize import cache


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(directory))
    return directory


class Builder:
    """A build function that counts its calls."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.value


def _entry(directory: Path, name: str) -> Path:
    (path,) = (directory / name).glob("*.pickle")
    return path


def test_second_call_loads_instead_of_building(cache_dir: Path) -> None:
    build = Builder({"a": (1, 2), "b": "ü"})
    assert cache.cached("thing", ["k", 1], build) == {"a": (1, 2), "b": "ü"}
    assert cache.cached("thing", ["k", 1], build) == {"a": (1, 2), "b": "ü"}
    assert build.calls == 1


def test_a_different_key_is_a_miss(cache_dir: Path) -> None:
    first, second = Builder("one"), Builder("two")
    assert cache.cached("thing", ["k", 1], first) == "one"
    assert cache.cached("thing", ["k", 2], second) == "two"
    assert cache.cached("thing", ["k", b"1"], Builder("three")) == "three"  # bytes ≠ str ≠ int
    assert (first.calls, second.calls) == (1, 1)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"",  # empty
        lambda data: b"not a cache file at all",
        lambda data: data.replace(b"metanorm-cache", b"metanorm-cachX", 1),  # foreign header
    ],
)
def test_a_damaged_file_is_rebuilt_and_rewritten(cache_dir: Path, damage: Any) -> None:
    cache.cached("thing", ["k"], Builder([1, 2, 3]))
    path = _entry(cache_dir, "thing")
    path.write_bytes(damage(path.read_bytes()))
    build = Builder([1, 2, 3])
    assert cache.cached("thing", ["k"], build) == [1, 2, 3]
    assert build.calls == 1
    again = Builder([1, 2, 3])
    assert cache.cached("thing", ["k"], again) == [1, 2, 3]
    assert again.calls == 0  # the rebuilt entry was written back


def test_a_file_under_another_key_is_not_read(cache_dir: Path) -> None:
    """A file renamed (or a hash prefix shared) still carries its full key in the header."""
    cache.cached("thing", ["k", 1], Builder("one"))
    source = _entry(cache_dir, "thing")
    digest = cache.make_key(["k", 2])
    target = cache_dir / "thing" / (digest[:40] + ".pickle")
    target.write_bytes(source.read_bytes())
    build = Builder("two")
    assert cache.cached("thing", ["k", 2], build) == "two"
    assert build.calls == 1


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_others_can_write_is_not_unpickled(cache_dir: Path) -> None:
    cache.cached("thing", ["k"], Builder("mine"))
    path = _entry(cache_dir, "thing")
    # what a hostile local user could leave: a valid-looking pickle in a shared directory
    path.chmod(0o666)
    build = Builder("mine")
    assert cache.cached("thing", ["k"], build) == "mine"
    assert build.calls == 1
    assert not _entry(cache_dir, "thing").stat().st_mode & 0o022  # replaced by a private file


@pytest.mark.parametrize("value", ["off", "0", "", "none"])
def test_the_cache_can_be_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(cache.ENV_DIR, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    build = Builder(42)
    assert cache.cached("thing", ["k"], build) == 42
    assert cache.cached("thing", ["k"], build) == 42
    assert build.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_default_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "metanorm"


def test_an_unwritable_cache_is_only_slower(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    build = Builder("value")
    assert cache.cached("thing", ["k"], build) == "value"
    assert cache.cached("thing", ["k"], build) == "value"
    assert build.calls == 2


def test_unpicklable_values_are_returned_and_not_stored(cache_dir: Path) -> None:
    value = lambda: None  # noqa: E731 - a lambda does not pickle
    assert cache.cached("thing", ["k"], Builder(value)) is value
    assert not (cache_dir / "thing").exists() or not list((cache_dir / "thing").iterdir())


def test_writes_leave_no_temporary_files_and_old_entries_are_pruned(cache_dir: Path) -> None:
    for i in range(cache._KEEP + 4):
        cache.cached("thing", ["k", i], Builder(i))
    names = [p.name for p in (cache_dir / "thing").iterdir()]
    assert not [n for n in names if n.startswith(".tmp-")]
    assert len(names) == cache._KEEP
    assert cache.cached("thing", ["k", cache._KEEP + 3], Builder(None)) == cache._KEEP + 3


def test_the_directory_is_private(cache_dir: Path) -> None:
    cache.cached("thing", ["k"], Builder(1))
    assert (cache_dir / "thing").stat().st_mode & 0o077 == 0


def test_key_parts_must_be_plain_data() -> None:
    with pytest.raises(TypeError):
        cache.make_key([object()])
    assert cache.make_key(["a", ("b", 1)]) == cache.make_key(["a", ["b", 1]])
    assert cache.make_key(["ab", "c"]) != cache.make_key(["a", "bc"])


# ---- real derived data: the cached value equals the built one ------------------------------


@pytest.fixture(scope="module")
def ruleset() -> Any:
    from normalize.ruleset import load_ruleset

    return load_ruleset()


def test_cached_ruleset_equals_loaded(cache_dir: Path, ruleset: Any) -> None:
    first = cache.load_ruleset()
    second = cache.load_ruleset()  # from the file
    assert _entry(cache_dir, "ruleset").is_file()
    for got in (first, second):
        assert got.digest == ruleset.digest
        assert got.rules == ruleset.rules
        assert got.sources == ruleset.sources


RULE = """rules:
  - id: ui.test.subscribe
    kind: ui-lines
    description: a test rule
    lines: [{line}]
    examples:
      - input: "{line}\\nText."
        expected: "Text."
"""


def test_cached_ruleset_sees_edited_rule_files(cache_dir: Path, tmp_path: Path) -> None:
    from normalize.ruleset import RuleFileError

    extra = tmp_path / "rules"
    extra.mkdir()
    rule_file = extra / "mine.yaml"
    rule_file.write_text(RULE.format(line="Abonnieren Sie jetzt"), encoding="utf-8")
    before = cache.load_ruleset([extra])
    assert before.by_id("ui.test.subscribe").spec["lines"] == ["Abonnieren Sie jetzt"]
    rule_file.write_text(RULE.format(line="Jetzt abonnieren"), encoding="utf-8")
    after = cache.load_ruleset([extra])
    assert after.by_id("ui.test.subscribe").spec["lines"] == ["Jetzt abonnieren"]
    assert after.digest != before.digest
    rule_file.write_text("rules: [", encoding="utf-8")
    for _ in range(2):  # errors are never cached
        with pytest.raises(RuleFileError) as caught:
            cache.load_ruleset([extra])
        assert str(rule_file) in str(caught.value)
    with pytest.raises(RuleFileError):
        cache.load_ruleset([tmp_path / "missing"])


def test_cached_places_equal_built(cache_dir: Path, ruleset: Any) -> None:
    from normalize.stages import places

    built = places.build(ruleset)
    for compiled in (places.compile(ruleset), places.compile(ruleset)):
        assert compiled == built
    assert _entry(cache_dir, "places").is_file()
    text = "Officials in Kiev and Kharkov met; the café serves Chicken Kiev. Odessa, Texas."
    cached = places.compile(ruleset)
    assert places.find_mentions(text, cached, "en") == places.find_mentions(text, built, "en")


def test_cached_langid_model_equals_built(cache_dir: Path) -> None:
    from normalize.stages.language import profiles

    directory = profiles.profiles_dir()
    names = tuple(sorted(p.name for p in directory.iterdir() if not p.name.startswith(".")))
    fresh = profiles.Model(profiles.read_profiles(directory, names))
    profiles._MODEL.clear()
    try:
        first = profiles.load_model()  # builds and stores
        second = profiles.load_model()  # loads
    finally:
        profiles._MODEL.clear()
    assert _entry(cache_dir, "langid").is_file()
    samples = ["Kyiv", "Київ", "Москва", "über", "zzq", "ab", " a", "ий ", "中", "\U0001f600"]
    for model in (first, second):
        assert model.languages == fresh.languages
        for gram in samples:
            assert model.table[gram] == fresh.table[gram]
        for code in (65, 0x416, 0x4E2D, 0x1F600, 0x10FFFF):
            assert model.chars[code] == fresh.chars[code]
        text = "Мост в Киеве открыли после ремонта. The bridge in Kyiv reopened."
        assert model.score(text.translate(model.chars)) == fresh.score(text.translate(fresh.chars))


def test_cached_language_names_equal_built(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from normalize import langtags

    def loaded_afresh() -> dict[str, object]:
        """Each table as a new process loads it (through the disk cache)."""
        tables = {"_known_codes": ("codes", langtags._build_known_codes)}
        tables["_english_names"] = ("english", langtags._build_english_names)
        for name, (table, build) in tables.items():
            monkeypatch.setattr(langtags, name, langtags._from_babel(table, build))
        return {name: getattr(langtags, name)() for name in tables}

    first = loaded_afresh()
    second = loaded_afresh()
    assert first == second
    assert {p.parent.name for p in cache_dir.rglob("*.pickle")} == {
        "langtags-codes",
        "langtags-english",
    }
    assert pickle.loads(pickle.dumps(second["_english_names"]))["english"] == "en"


def test_every_locales_date_names_stay_cached(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More locales than entries kept per name: each locale still hits on the next run."""
    from normalize.stages.dates import locales as dateparse

    locales = ["en", "ru", "uk", "de", "fr", "es", "pl", "it", "pt", "bg", "be", "kk"]
    dateparse.cldr_names.cache_clear()
    built = {lang: dateparse.cldr_names(lang) for lang in locales}
    dateparse.cldr_names.cache_clear()  # a new process, as far as the tables go

    def no_babel(lang: str) -> dict:
        raise AssertionError(f"{lang}: rebuilt from babel instead of loaded")

    monkeypatch.setattr(dateparse, "_cldr_names_from_babel", no_babel)
    try:
        assert {lang: dateparse.cldr_names(lang) for lang in locales} == built
    finally:
        dateparse.cldr_names.cache_clear()
