"""The wheel a user installs: typed (py.typed), with the JSON Schema and the rules inside,
and the per-value functions importable from the installed package (not this checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PIP = (sys.executable, "-m", "pip")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="the dev extra's hatchling builds the wheel")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [*PIP, "wheel", "--no-build-isolation", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("metanorm-*.whl")
    return found


def test_the_wheel_has_py_typed_the_schema_and_the_rules(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "normalize/py.typed" in names
    assert "normalize/record.schema.json" in names
    assert "normalize/values.py" in names and "normalize/pandas.py" in names
    assert any(n.startswith("normalize/rules/") and n.endswith(".yaml") for n in names)


def test_installed_package_serves_the_per_value_functions(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    script = (
        "import normalize, sys\n"
        "from normalize import fix_text, parse_date, detect_language, find_places\n"
        "from normalize.json_schema import record_schema\n"
        f"assert normalize.__file__.startswith({str(site)!r}), normalize.__file__\n"
        "print(fix_text('The mayor of Kiev met the council on Monday.', 'en'))\n"
        "print(parse_date('28.01.2022', 'ru').value, find_places('Kiev')[0].name)\n"
        "print(record_schema()['title'])\n"
    )
    env = dict(os.environ, PYTHONPATH=str(site))
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "The mayor of Kyiv met the council on Monday.",
        "2022-01-28 Kyiv",
        "metanorm canonical record",
    ]
