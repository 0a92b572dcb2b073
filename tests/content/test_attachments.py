"""Files kept beside the texts: listed, linked, checked at the line that names them, copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLE, TEMPLATES, WriteTree, minimal_content

from archive.base.diagnostics import ContentError
from archive.build.pipeline import BuildOptions, build
from archive.content import attachments
from archive.content.reader import read_content

A = "content/articles/2023/a-text.md"
KEPT = ARTICLE.replace(
    "---\n\n", "files:\n  - {file: scans/page-1.png, description: The first page}\n---\n\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000020000000308020000001216f1"
    "4d0000000e4944415478da63f8cfc0f01f0c0000effb03fd66ed65680000000049454e44ae426082"
)


def errors_of(
    write_tree: WriteTree, files: dict[str, str | bytes], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    root = write_tree(files)
    monkeypatch.chdir(root)
    with pytest.raises(ContentError) as caught:
        read_content(Path("content"))
    return [d.format() for d in caught.value.diagnostics]


def test_a_missing_file_is_an_error_at_the_line_that_names_it(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "One paragraph.\n\nSee [the facsimile](/files/facsimile.pdf) and ![a scan](</files/scans/page-2.png>).\n\n[1]: /files/notes.txt\n"
    files = minimal_content()
    files[A] = KEPT.replace("The first paragraph.\n", body)
    files["content/files/scans/page-1.png"] = PNG
    files["content/files/facsimile.pdf"] = b"%PDF-1.4\n"
    assert errors_of(write_tree, files, monkeypatch) == [
        f"{A}:12: error: the link to /files/scans/page-2.png points to no file of content/files/"
        " (put it in content/files/, or correct the name)",
        f"{A}:14: error: the link to /files/notes.txt points to no file of content/files/"
        " (put it in content/files/, or correct the name)",
    ]
    files[A] = KEPT.replace("page-1", "page-9")
    assert errors_of(write_tree, files, monkeypatch) == [
        f"{A}:7: error: the file 'scans/page-9.png' is not in content/files/ (put it in content/files/, or correct the name)",
    ]


def test_a_file_that_cannot_be_kept_says_why(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal_content()
    files["content/files/Theses Page 1.PNG"] = PNG
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 4)
    files["content/files/large.pdf"] = b"%PDF-1.4\n"
    files["content/files/page.svg"] = (
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    )
    files["content/files/page.html"] = "<script>alert(1)</script>"
    kinds = "png, jpg, jpeg, gif, webp, avif, pdf, tif, tiff, txt, csv, epub, djvu, mp3, ogg, mp4, webm"
    assert errors_of(write_tree, files, monkeypatch) == [
        "content/files/Theses Page 1.PNG:1: error: the file name 'Theses Page 1.PNG' is not a plain lower-case"
        " name (rename it 'theses-page-1.png')",
        "content/files/large.pdf:1: error: the file is 0 MB, more than the 0 MB a file may be (keep a"
        " smaller copy here and link to the original where it is published)",
        f"content/files/page.html:1: error: 'page.html' is not a kind of file the archive keeps (keep {kinds})",
        f"content/files/page.svg:1: error: 'page.svg' is not a kind of file the archive keeps (keep {kinds})",
    ]


def test_kept_files_are_copied_listed_and_images_get_their_size(write_tree: WriteTree) -> None:
    files = minimal_content()
    files[A] = KEPT.replace(
        "The first paragraph.\n", "The first paragraph.\n\n![The first page](/files/scans/page-1.png)\n"
    )
    files["content/files/scans/page-1.png"] = PNG
    root = write_tree(files)
    out = root / "_site"
    options = BuildOptions(
        root / "content", out, TEMPLATES, search=False, history=False, base_url="https://example.org/archive/"
    )
    build(options)
    assert (out / "files/scans/page-1.png").read_bytes() == PNG
    page = (out / "articles/a-text/index.html").read_text("utf-8")
    assert '<img src="/archive/files/scans/page-1.png" width="2" height="3" alt="The first page"' in page
    assert '<a href="/archive/files/scans/page-1.png">The first page</a>' in page

    replaced = PNG.replace(bytes.fromhex("0000000200000003"), bytes.fromhex("0000000400000005"))
    (root / "content/files/scans/page-1.png").write_bytes(replaced)  # a new scan, the text the same
    build(options)
    assert (out / "files/scans/page-1.png").read_bytes() == replaced
    assert 'width="4" height="5"' in (out / "articles/a-text/index.html").read_text("utf-8")
