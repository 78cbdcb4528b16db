"""Shared fixtures: where ../shared is, and whether it must be there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# a helper module of fixtures (`pytest_plugins = ["spark_common"]`) gets pytest's asserts
pytest.register_assert_rewrite("spark_common")


def pytest_configure(config: pytest.Config) -> None:
    """Keep the test run's derived-data cache out of the user's own cache directory."""
    if "METANORM_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["METANORM_CACHE_DIR"] = tempfile.mkdtemp(prefix="metanorm-test-cache-")


SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repository; skipped in a user's clone, mandatory in CI."""
    if (SHARED / "corpus").is_dir():
        return SHARED
    if os.environ.get("METANORM_REQUIRE_SHARED") == "1":
        pytest.fail(
            f"../shared is required here (METANORM_REQUIRE_SHARED=1) but {SHARED} is missing"
        )
    pytest.skip(
        f"../shared not found at {SHARED}: corpus tests need the shared corpus beside the repo"
    )
