"""The package's layers, as pyproject.toml's import-linter contracts state them, hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_imports_run_downward_through_the_layers() -> None:
    command = Path(sys.executable).parent / "lint-imports"
    found = str(command) if command.exists() else shutil.which("lint-imports")
    assert found, "import-linter is in the test extra: pip install -e '.[test]'"
    result = subprocess.run([found, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
