"""The shell scripts: valid bash, executable, and a clear early stop without Odoo."""

import os
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = [REPO / "scripts" / name for name in ("lib.sh", "serve", "test", "i18n")] + [
    REPO / ".ci" / "run"
]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(REPO)))
def test_bash_syntax(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.name != "lib.sh"], ids=lambda p: p.name)
def test_executable(script):
    assert os.access(script, os.X_OK), f"chmod +x {script.relative_to(REPO)}"


@pytest.mark.parametrize("name", ["test", "serve"])
def test_stops_at_once_without_odoo(name):
    env = {**os.environ, "ODOO_PATH": "/nonexistent"}
    start = time.monotonic()
    result = subprocess.run(
        [str(REPO / "scripts" / name)], env=env, capture_output=True, text=True, timeout=60
    )
    elapsed = time.monotonic() - start
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "ODOO_PATH" in lines[0] and "/nonexistent" in lines[0]
    assert elapsed < 5, f"took {elapsed:.1f}s: it should stop before installing anything"
