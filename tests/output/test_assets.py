"""Static files get content-hashed names that templates reach only through the mapping."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import TEMPLATES, WriteTree

from archive.output.assets import hash_assets, hashed_name


def test_names_change_with_the_bytes() -> None:
    assert re.fullmatch(r"css/style\.[0-9a-f]{8}\.css", hashed_name("css/style.css", b"a"))
    assert hashed_name("style.css", b"a") != hashed_name("style.css", b"b")
    assert hashed_name("style.css", b"a") == hashed_name("style.css", b"a")


def test_every_static_file_is_mapped_to_its_hashed_url(write_tree: WriteTree) -> None:
    root = write_tree({"templates/static/style.css": "body {}", "templates/static/js/app.js": "1"})
    assets = hash_assets(root / "templates")
    assert sorted(assets.urls) == ["js/app.js", "style.css"]
    assert {o.path for o in assets.outputs} == {url.lstrip("/") for url in assets.urls.values()}
    assert all(url.startswith("/static/") for url in assets.urls.values())


def test_templates_never_name_an_asset_path() -> None:
    for template in Path(TEMPLATES).glob("*.html"):
        assert "/static/" not in template.read_text(encoding="utf-8"), template
