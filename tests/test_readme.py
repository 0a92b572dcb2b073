"""The README's quick start is what CI runs."""

from conftest import ROOT


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(
        line for line in readme.splitlines() if line.startswith("python3 -m venv") and "pytest" in line
    )
    assert command in ci.splitlines()
