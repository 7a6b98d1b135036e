"""ruff (lint and format) on the whole repository, pylint-odoo's mandatory checks on the addon."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ADDON = REPO / "addons" / "kawasan_industri_verif"


def run(*args):
    """Run a tool from the same environment as pytest (the project's .venv)."""
    result = subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}", pytrace=False)


def test_ruff_check():
    run("ruff", "check", "--no-cache", ".")


def test_ruff_format():
    run("ruff", "format", "--no-cache", "--check", ".")


def test_pylint_odoo_mandatory_checks():
    assert ADDON.is_dir(), f"{ADDON} is missing"
    run("pylint", "--rcfile=.pylintrc", str(ADDON.relative_to(REPO)))
