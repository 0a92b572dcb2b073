"""The build cache: a rebuild after any edit gives the bytes of a cold build, in parallel or not,
keeps the files it did not change, and forgets what a change of templates or code invalidates."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import ARTICLE, SITE_YAML, SOURCES_YAML, TEMPLATES
from jinja2.runtime import Context
from markupsafe import Markup

import archive.base.version
import archive.build.pipeline
import archive.build.plan
import archive.build.reading
import archive.content.reader
import archive.incremental.bodies
import archive.incremental.cache
import archive.incremental.state
import archive.incremental.texts
import archive.output.sitemap
import archive.output.templating
from archive.build.pipeline import BuildOptions, build
from archive.site.model import Text

SECOND_SOURCE = "red-dawn:\n  name: Red Dawn\n  language: en\n  description: A weekly.\n"


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def article(i: int) -> str:
    text = ARTICLE.replace("A Text", f"Text {i}").replace("2023-03-20", f"2023-03-{1 + i % 28:02d}")
    text = text.replace("authors:", f"tags: [tag-{i % 7}, common]\nauthors:")
    text = text.replace("[Xi Jinping]", f"[Author {i % 9}]")
    if i % 10 == 0:
        text = text.replace("authors:", "work: shared-work\nauthors:")
    return (
        text
        + "".join(f"\nParagraph {n} of text {i}, with *emphasis*.[^1]\n" for n in range(8))
        + "\n[^1]: A note.\n"
    )


def make_site(root: Path, count: int = 90) -> Path:
    content = root / "content"
    (content / "articles/2023").mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML.replace("base_url", "per_page: 5\nbase_url"))
    (content / "sources.yaml").write_text(SOURCES_YAML + SECOND_SOURCE)
    for i in range(count):
        (content / f"articles/2023/text-{i:03d}.md").write_text(article(i))
    return content


def options(root: Path, out: str, templates: Path = TEMPLATES, **more: object) -> BuildOptions:
    return BuildOptions(root / "content", root / out, templates, search=False, **more)  # type: ignore[arg-type]


def assert_same_as_cold(root: Path, templates: Path = TEMPLATES) -> None:
    """Rebuild incrementally, build cold elsewhere without a cache: every file the same."""
    build(options(root, "_site", templates, jobs=2))
    shutil.rmtree(root / "cold", ignore_errors=True)
    build(options(root, "cold", templates, cache=False, jobs=1))
    assert files_of(root / "_site") == files_of(root / "cold")


def assert_an_edit_links_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch, number: int, templates: Path = TEMPLATES
) -> None:
    """Edit one text and rebuild: the twin was up to date, so no file is linked, few written."""
    links = []
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda a, b: links.append(b) or real_link(a, b))
    (site / f"content/articles/2023/text-{number:03d}.md").write_text(
        article(number) + "\nOne more paragraph.\n"
    )
    report = build(options(site, "_site", templates, jobs=1))
    assert links == [] and 0 < report.written < 20
    monkeypatch.undo()
    assert_same_as_cold(site, templates)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_site(tmp_path)
    build(options(tmp_path, "_site", jobs=2))
    return tmp_path


def test_parallel_output_is_the_serial_output(tmp_path: Path) -> None:
    make_site(tmp_path, 150)
    build(options(tmp_path, "serial", jobs=1, cache=False))
    build(options(tmp_path, "parallel", jobs=2, cache=False))
    assert files_of(tmp_path / "serial") == files_of(tmp_path / "parallel")


def test_a_parallel_build_makes_each_list_entry_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists of the second round share the entries the first round's processes made."""
    make_site(tmp_path, 150)
    made = tmp_path / "made.log"
    real = archive.output.templating.ListEntries.__call__

    def logged(
        self: archive.output.templating.ListEntries, context: Context, text: Text, level: int
    ) -> Markup:
        if (text.url, text.stamp, level) not in self.made:
            with made.open("a") as log:  # appended by each worker process
                log.write(f"{text.url} {level} {os.getpid()}\n")
        return real(self, context, text, level)

    monkeypatch.setattr(archive.output.templating.ListEntries, "__call__", logged)
    progress: list[tuple[str, int, int]] = []
    build(options(tmp_path, "_site", jobs=2, cache=False), lambda *told: progress.append(told))
    entries = [line.rsplit(" ", 1)[0] for line in made.read_text().splitlines()]
    assert len(entries) == len(set(entries)) >= 150
    makers = {line.rsplit(" ", 1)[1] for line in made.read_text().splitlines()}
    assert str(os.getpid()) in makers and len(makers) == 2  # this process and its one worker
    written = [done for step, done, total in progress if step == "write"]
    assert written == sorted(written) and written[-1] == progress[-1][2]  # counted over both rounds


def test_a_rebuild_without_changes_writes_nothing_and_keeps_every_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.stat().st_mtime_ns for p in (site / "_site").rglob("*") if p.is_file()}
    (site / "content/articles/2023/text-004.md").touch()  # a new time, the same bytes
    rendered: list[object] = []
    real = archive.build.reading.render_texts
    monkeypatch.setattr(archive.build.reading, "render_texts", lambda *a: rendered.extend(a[0]) or real(*a))
    report = build(options(site, "_site", jobs=1))  # in this process, where render_texts is watched
    assert rendered == []  # read again (its time changed), and known by its bytes
    assert report.written == 0
    assert {p: p.stat().st_mtime_ns for p in (site / "_site").rglob("*") if p.is_file()} == before
    assert build(options(site, "_site")).written == 0


def test_editing_a_body_rewrites_only_what_shows_it(site: Path) -> None:
    path = site / "content/articles/2023/text-004.md"
    unrelated = site / "_site/articles/text-050/index.html"
    mtime = unrelated.stat().st_mtime_ns
    path.write_text(path.read_text().replace("Paragraph 3 of text 4", "A new third paragraph"))
    report = build(options(site, "_site"))
    assert 0 < report.written < 20  # its page, the lists and feeds it is on, the data export
    assert unrelated.stat().st_mtime_ns == mtime
    assert_same_as_cold(site)


def test_changing_a_tag_updates_both_tag_pages(site: Path) -> None:
    path = site / "content/articles/2023/text-004.md"
    path.write_text(path.read_text().replace("tag-4, common", "tag-5, common"))
    assert_same_as_cold(site)

    def listed(tag: str) -> bool:
        return any(b"Text 4<" in p.read_bytes() for p in (site / f"_site/tags/{tag}").rglob("*.html"))

    assert listed("tag-5")
    assert not listed("tag-4")


def test_changing_a_date_reorders_the_lists(site: Path) -> None:
    path = site / "content/articles/2023/text-004.md"
    path.write_text(path.read_text().replace("2023-03-05", "1999-01-01"))
    assert_same_as_cold(site)


def test_adding_and_deleting_files(site: Path) -> None:
    (site / "content/articles/2023/text-new.md").write_text(article(200))
    assert_same_as_cold(site)
    (site / "content/articles/2023/text-new.md").unlink()
    (site / "content/articles/2023/text-010.md").unlink()  # a version of the work
    assert_same_as_cold(site)
    assert not (site / "_site/articles/text-010").exists()


def test_renaming_a_source(site: Path) -> None:
    sources = site / "content/sources.yaml"
    sources.write_text(sources.read_text().replace("pogled-info:", "pogled:"))
    for path in (site / "content/articles/2023").glob("*.md"):
        path.write_text(path.read_text().replace("source: pogled-info", "source: pogled"))
    assert_same_as_cold(site)
    assert not (site / "_site/sources/pogled-info").exists()


def test_editing_a_template_rerenders_every_page(site: Path) -> None:
    templates = site / "templates"
    shutil.copytree(TEMPLATES, templates)
    assert_same_as_cold(site, templates)
    base = templates / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- edited -->\n</body>"))
    assert_same_as_cold(site, templates)
    assert b"<!-- edited -->" in (site / "_site/articles/text-050/index.html").read_bytes()


def test_a_new_code_version_invalidates_the_cache(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (archive.incremental.state, archive.build.pipeline, archive.build.plan):
        monkeypatch.setattr(module, "code_version", lambda: "another version")
    assert build(options(site, "_site")).written == len(files_of(site / "_site"))


def test_a_no_change_rebuild_of_a_site_with_search_keeps_its_index(site: Path) -> None:
    build(BuildOptions(site / "content", site / "searched", TEMPLATES))
    index = sorted(p.relative_to(site / "searched") for p in (site / "searched/pagefind").rglob("*"))
    path = site / "content/articles/2023/text-004.md"
    path.touch()
    build(BuildOptions(site / "content", site / "searched", TEMPLATES))
    assert sorted(p.relative_to(site / "searched") for p in (site / "searched/pagefind").rglob("*")) == index


def test_an_unchanged_archive_is_recognised_without_loading_the_whole_state(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    time.sleep(2.1)  # past the window in which file times are not trusted
    build(options(site, "_site"))  # records the scan time of a settled tree

    def refuse(self: object) -> object:
        raise AssertionError("a no-change rebuild loaded the whole state")

    monkeypatch.setattr(archive.incremental.state.StateFiles, "load_state", refuse)
    report = build(options(site, "_site"))
    assert (report.texts, report.written) == (90, 0)
    (site / "content/articles/2023/text-004.md").write_text(article(4) + "\nA new paragraph.\n")
    with pytest.raises(AssertionError, match="loaded the whole state"):
        build(options(site, "_site"))


def test_a_damaged_text_cache_is_replaced(site: Path) -> None:
    store = site / ".cache" / "texts.sqlite"
    assert store.is_file()
    store.write_bytes(b"not a database" * 100)
    (site / "content/articles/2023/text-001.md").write_text(article(1) + "\nA new paragraph.\n")
    assert_same_as_cold(site)
    assert store.read_bytes().startswith(b"SQLite format 3")


def test_a_text_cache_that_cannot_be_written_only_costs_time(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: archive.incremental.bodies.BodyStore, setup: bool = False) -> None:
        raise archive.incremental.bodies.sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(archive.incremental.bodies.BodyStore, "connect", refuse)
    (site / "content/articles/2023/text-002.md").write_text(article(2) + "\nAnother paragraph.\n")
    assert_same_as_cold(site)


def test_texts_no_build_uses_are_forgotten_once_they_pile_up(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive.incremental.bodies, "SETTLING_SECONDS", 0)
    store = archive.incremental.bodies.BodyStore(site / ".cache" / "texts.sqlite")
    stale_pack = store.packs / ("0" * 16 + ".pack")
    stale_pack.write_bytes(b"<p>old</p>" * 400)
    stale = archive.incremental.bodies.sqlite3.connect(store.path)
    stale.executemany(
        "INSERT INTO texts VALUES (?, ?, ?, ?, ?)",
        [(f"old-{i}", stale_pack.name, 10 * i, 10, 0) for i in range(400)],
    )
    stale.commit()
    stale.close()
    (site / "content/articles/2023/text-003.md").write_text(article(3) + "\nOne more paragraph.\n")
    assert_same_as_cold(site)
    rows = store.connection().execute("SELECT stamp FROM texts").fetchall()
    assert len(rows) == 90 and not any(stamp.startswith("old-") for (stamp,) in rows)
    assert not stale_pack.exists()  # no body in it is known any more
    assert len(store.load_html([stamp for (stamp,) in rows])) == 90


def pack_names(store: archive.incremental.bodies.BodyStore) -> list[str]:
    return sorted(path.name for path in store.packs.glob("*.pack"))


def stored_bodies(site: Path) -> tuple[archive.incremental.bodies.BodyStore, dict[str, bytes]]:
    store = archive.incremental.bodies.BodyStore(site / ".cache" / "texts.sqlite")
    stamps = [stamp for (stamp,) in store.connection().execute("SELECT stamp FROM texts")]
    return store, store.load_html(stamps)


def test_the_bodies_are_kept_in_the_packs_of_the_processes_that_rendered_them(site: Path) -> None:
    store, bodies = stored_bodies(site)
    assert len(bodies) == 90 and all(b"Paragraph 7 of text" in html for html in bodies.values())
    assert len(pack_names(store)) == 2  # two workers, a pack each
    assert store.connection().execute("PRAGMA page_size").fetchone() == (
        archive.incremental.bodies.PAGE_SIZE,
    )


def test_a_pack_another_build_may_still_be_writing_is_left_alone(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive.incremental.bodies, "MANY_PACKS", 0)
    store = archive.incremental.bodies.BodyStore(site / ".cache" / "texts.sqlite")
    unnamed = store.packs / ("f" * 16 + ".pack")  # its rows not yet written
    unnamed.write_bytes(b"<p>a body</p>")
    (site / "content/articles/2023/text-001.md").write_text(article(1) + "\nEdited.\n")
    build(options(site, "_site", jobs=1))
    assert unnamed.exists() and store.pack_sizes() == {}  # every pack new: none settled
    monkeypatch.setattr(archive.incremental.bodies, "SETTLING_SECONDS", 0)
    (site / "content/articles/2023/text-002.md").write_text(article(2) + "\nEdited.\n")
    build(options(site, "_site", jobs=1))
    assert pack_names(store) == [name for name in pack_names(store) if name != unnamed.name]
    assert len(pack_names(store)) == 1  # all merged into the last build's
    _store, bodies = stored_bodies(site)
    assert len(bodies) == 92


def test_the_bodies_a_pack_still_holds_are_moved_when_most_of_it_is_forgotten(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive.incremental.bodies, "SETTLING_SECONDS", 0)
    store, before = stored_bodies(site)
    edited = site / "content/articles/2023/text-003.md"
    records = (
        archive.incremental.state.StateFiles(site / ".cache", site / "_site")
        .load_state()
        .texts.records.values()
    )
    paths = {text.stamp: text.article.path for _, text, _ in records}
    kept = sorted(stamp for stamp in before if paths[stamp] != str(edited))[:5]  # texts still in use
    mixed = store.packs / ("e" * 16 + ".pack")
    bodies = [before[stamp] for stamp in kept]
    mixed.write_bytes(b"".join(bodies) + b"<p>forgotten</p>" * 20_000)
    with store.transaction() as cursor:
        start = 0
        for stamp, body in zip(kept, bodies, strict=True):
            crc = archive.incremental.bodies.zlib.crc32(body)
            cursor.execute(
                "UPDATE texts SET pack = ?, start = ?, size = ?, crc = ? WHERE stamp = ?",
                (mixed.name, start, len(body), crc, stamp),
            )
            start += len(body)
        cursor.executemany(
            "INSERT INTO texts VALUES (?, ?, ?, ?, ?)",
            [(f"old-{i}", mixed.name, start + 16 * i, 16, 0) for i in range(400)],
        )
    store.close()
    edited.write_text(article(3) + "\nEdited.\n")
    assert_same_as_cold(site)  # forgets the old rows: the pack is then mostly forgotten
    assert not mixed.exists()
    _store, after = stored_bodies(site)
    assert all(after[stamp] == before[stamp] for stamp in kept)


def test_a_body_the_cache_lost_is_kept_again_once_rendered(site: Path) -> None:
    store, before = stored_bodies(site)
    for pack in pack_names(store):
        (store.packs / pack).unlink()
    store.close()
    build(options(site, "elsewhere", jobs=2))  # every page made: every body rendered again
    _store, after = stored_bodies(site)
    assert after == before


@pytest.mark.parametrize("damage", ["cut", "written over", "gone", "named outside"])
def test_a_damaged_pack_is_only_a_miss(site: Path, damage: str) -> None:
    store, before = stored_bodies(site)
    pack = pack_names(store)[0]
    data = (store.packs / pack).read_bytes()
    if damage == "cut":
        (store.packs / pack).write_bytes(data[: len(data) // 2])
    elif damage == "written over":
        (store.packs / pack).write_bytes(data.replace(b"Paragraph 3", b"Paragraph 9"))
    elif damage == "gone":
        (store.packs / pack).unlink()
    else:
        shutil.copy(store.packs / pack, store.path.parent / "outside.pack")
        with store.transaction() as cursor:
            cursor.execute("UPDATE texts SET pack = '../outside.pack' WHERE pack = ?", (pack,))
    store.close()
    _store, after = stored_bodies(site)
    assert 0 < len(before) - len(after) < 90
    assert all(before[stamp] == html for stamp, html in after.items())  # never another text's body
    build(options(site, "elsewhere", jobs=2))  # no twin there: every page made, every body wanted
    build(options(site, "cold", cache=False, jobs=1))
    assert files_of(site / "elsewhere") == files_of(site / "cold")


def test_a_pack_that_cannot_take_its_bodies_keeps_no_rows_for_them(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "writev", lambda handle, parts: 0)  # a full disk
    for number in (1, 2):
        (site / f"content/articles/2023/text-{number:03d}.md").write_text(article(number) + "\nEdited.\n")
    assert_same_as_cold(site)
    monkeypatch.undo()
    _store, bodies = stored_bodies(site)
    assert len(bodies) == 90  # the cold build's, not the two edited texts'


def test_many_small_packs_are_merged(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive.incremental.bodies, "MANY_PACKS", 3)
    monkeypatch.setattr(archive.incremental.bodies, "SETTLING_SECONDS", 0)
    store = archive.incremental.bodies.BodyStore(site / ".cache" / "texts.sqlite")
    counts = []
    for number in range(4):  # each rebuild leaves a pack of the text it rendered
        (site / f"content/articles/2023/text-{number:03d}.md").write_text(article(number) + "\nEdited.\n")
        build(options(site, "_site", jobs=1))
        counts.append(len(pack_names(store)))
    assert counts == [3, 1, 2, 3]  # four were one too many: the bodies moved into the fourth
    _store, bodies = stored_bodies(site)
    assert len(bodies) == 94 and all(b"Paragraph 7 of text" in html for html in bodies.values())
    build(options(site, "elsewhere", jobs=2))
    build(options(site, "cold", cache=False, jobs=1))
    assert files_of(site / "elsewhere") == files_of(site / "cold")


def test_the_export_rows_kept_are_those_made_afresh(site: Path) -> None:
    records = archive.incremental.state.StateFiles(site / ".cache", site / "_site").load_state().texts.records
    assert len(records) == 90
    config, _sources, _problems = archive.content.reader.read_settings(site / "content")
    for _, text, rows in records.values():
        assert rows == archive.output.sitemap.export_rows(text, config)


def state_files(site: Path) -> tuple[Path, Path]:
    folder = next((site / ".cache" / "sites").glob("_site-*"))
    return folder / "records.pickle", folder / "changes.pickle"


@pytest.fixture
def settled(tmp_path: Path) -> Path:
    """A built site whose files were last changed an hour before (a build trusts their stat)."""
    content = make_site(tmp_path)
    for path in content.rglob("*"):
        os.utime(path, (time.time() - 3600,) * 2)
    build(options(tmp_path, "_site", jobs=2))
    return tmp_path


def test_a_rebuild_after_a_few_edits_writes_only_the_changed_records(settled: Path) -> None:
    site = settled
    records, changes = state_files(site)
    before = records.read_bytes()
    for i in (4, 5):
        (site / f"content/articles/2023/text-{i:03d}.md").write_text(article(i) + "\nEdited.\n")
    (site / "content/articles/2023/text-006.md").unlink()
    assert_same_as_cold(site)
    assert records.read_bytes() == before
    _token, changed = archive.incremental.state.load_versioned(changes)
    assert sorted(changed) == [f"{site}/content/articles/2023/text-{i:03d}.md" for i in (4, 5, 6)]
    assert changed[f"{site}/content/articles/2023/text-006.md"] is None
    (site / "content/articles/2023/text-007.md").write_text(article(7) + "\nEdited too.\n")
    assert_same_as_cold(site)  # the changes are read back, and kept with the new one
    assert len(archive.incremental.state.load_versioned(changes)[1]) == 4


def test_many_changes_rewrite_the_records_whole(settled: Path) -> None:
    site = settled
    records, changes = state_files(site)
    before = records.read_bytes()
    for i in range(20):
        (site / f"content/articles/2023/text-{i:03d}.md").write_text(article(i) + "\nEdited.\n")
    assert_same_as_cold(site)
    assert records.read_bytes() != before and not changes.exists()


def test_changes_of_other_records_are_not_applied(settled: Path) -> None:
    site = settled
    _records, changes = state_files(site)
    (site / "content/articles/2023/text-008.md").write_text(article(8) + "\nEdited.\n")
    assert_same_as_cold(site)
    _token, changed = archive.incremental.state.load_versioned(changes)
    archive.incremental.state.save_versioned(changes, ("another-token", changed))
    (site / "content/articles/2023/text-009.md").write_text(article(9) + "\nEdited.\n")
    assert_same_as_cold(site)


def test_a_rebuild_looks_up_no_name_or_language_the_last_build_knew(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    import langcodes

    import archive.base.languages
    import archive.base.urls

    archive.base.urls.KNOWN_SLUGS.clear()  # as in a new process
    archive.base.languages.KNOWN_LANGUAGES.clear()
    archive.base.languages.STANDARD_CODES.clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("looked up again")

    monkeypatch.setattr(importlib.import_module("slugify"), "slugify", refuse)
    monkeypatch.setattr(archive.base.languages, "look_up", refuse)
    monkeypatch.setattr(langcodes, "tag_is_valid", refuse)
    path = site / "content/articles/2023/text-004.md"
    path.write_text(path.read_text() + "\nOne more paragraph.\n")
    os.utime(path, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))
    monkeypatch.setattr(archive.build.pipeline, "RACY_NS", 0)
    monkeypatch.setattr(archive.incremental.texts, "RACY_NS", 0)
    assert_same_as_cold(site)


def test_a_clash_with_a_text_kept_from_the_last_build_names_its_lines(settled: Path) -> None:
    from archive.base.diagnostics import ContentError

    kept = (settled / "content/articles/2023/text-001.md").read_text()
    (settled / "content/articles/2023/text-001.md").write_text(
        kept.replace("authors:", "slug: kept\nauthors:", 1)
    )
    for path in (settled / "content").rglob("*.md"):
        os.utime(path, (time.time() - 3600,) * 2)
    build(options(settled, "_site"))
    newcomer = article(500).replace("authors:", "aliases: [/articles/kept/]\nauthors:", 1)
    (settled / "content/articles/2023/new.md").write_text(newcomer)
    with pytest.raises(ContentError) as raised:
        build(options(settled, "_site"))
    [error] = [d.format() for d in raised.value.diagnostics]
    slug_line = kept.replace("authors:", "slug: kept\nauthors:", 1).split("\n").index("slug: kept") + 1
    alias_line = newcomer.split("\n").index("aliases: [/articles/kept/]") + 1
    assert f"text-001.md:{slug_line}: error: URL /articles/kept/ is already claimed by" in error
    assert error.endswith(f"new.md:{alias_line} (change the slug or the alias of one of them)")


def test_a_first_build_leaves_its_twin_so_the_first_rebuild_links_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = next((site / ".cache" / "sites").glob("_site-*")) / "twin"
    assert files_of(twin) == files_of(site / "_site")
    assert_an_edit_links_nothing(site, monkeypatch, 5)


def test_a_text_cache_of_another_format_is_made_anew(tmp_path: Path) -> None:
    path = tmp_path / "texts.sqlite"
    old = archive.incremental.bodies.sqlite3.connect(path)
    old.execute("CREATE TABLE texts (stamp TEXT PRIMARY KEY, light BLOB)")
    old.execute("INSERT INTO texts VALUES ('a', x'00')")
    old.execute(f"PRAGMA user_version = {archive.incremental.state.FORMAT - 1}")
    old.commit()
    old.close()
    store = archive.incremental.bodies.BodyStore(path)
    store.prepare()
    connection = store.connection()
    assert connection.execute("PRAGMA user_version").fetchone() == (archive.incremental.state.FORMAT,)
    assert connection.execute("PRAGMA page_size").fetchone() == (archive.incremental.bodies.PAGE_SIZE,)
    assert connection.execute("SELECT count(*) FROM texts").fetchone() == (0,)
    store.close()


def test_dependency_versions_are_read_from_the_installed_folders() -> None:
    import importlib.metadata

    installed = archive.base.version.installed_versions()
    for name in archive.base.version.DEPENDENCIES:
        found = installed.get(archive.base.version.project_key(name))
        if found is not None:
            assert found == importlib.metadata.version(name)


def test_languages_named_only_on_pages_are_known_to_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import archive.base.languages

    content = make_site(tmp_path)
    for path in (content / "articles/2023").glob("*.md"):  # every text a translation from Russian
        path.write_text(path.read_text().replace("authors:", "original_language: ru\nauthors:", 1))
        os.utime(path, (time.time() - 3600,) * 2)
    archive.base.languages.KNOWN_LANGUAGES.clear()
    build(options(tmp_path, "_site", jobs=2))  # pages, which name English, are made by workers
    archive.base.languages.KNOWN_LANGUAGES.clear()  # as in a new process

    def refuse(code: str) -> None:
        raise AssertionError(f"looked up {code} again")

    monkeypatch.setattr(archive.base.languages, "look_up", refuse)
    edited = content / "articles/2023/text-004.md"
    edited.write_text(edited.read_text() + "\nOne more paragraph.\n")
    build(options(tmp_path, "_site", jobs=2))


def test_after_a_build_that_reused_nothing_the_next_links_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = next((site / ".cache" / "sites").glob("_site-*"))
    for state in folder.glob("*.pickle"):  # as after a change of code: the last state unusable
        state.unlink()
    build(options(site, "_site", jobs=2))  # over the live site, every file written again
    assert files_of(folder / "twin") == files_of(site / "_site")
    assert [p.name for p in site.iterdir() if p.name.startswith("._site")] == []  # old site gone
    assert_an_edit_links_nothing(site, monkeypatch, 6)


def test_after_a_template_edit_the_next_rebuild_links_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = site / "templates"
    shutil.copytree(TEMPLATES, templates)
    build(options(site, "_site", templates, jobs=2))
    base = templates / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- edited -->\n</body>"))
    report = build(options(site, "_site", templates, jobs=2))  # every page again
    assert report.written == len(files_of(site / "_site"))
    assert_an_edit_links_nothing(site, monkeypatch, 7, templates)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "cut"])
def test_damaged_records_mean_a_cold_build(settled: Path, damage: bytes | str) -> None:
    site = settled
    records, _changes = state_files(site)
    data = records.read_bytes()
    records.write_bytes(data[: len(data) // 2] if damage == "cut" else damage)
    assert (
        archive.incremental.state.StateFiles(site / ".cache", site / "_site").load_state().texts.records == {}
    )
    (site / "content/articles/2023/text-003.md").write_text(article(3) + "\nEdited.\n")
    assert_same_as_cold(site)


def test_records_pickled_by_the_readers_are_kept_as_they_are(tmp_path: Path) -> None:
    content = make_site(tmp_path)
    build(options(tmp_path, "_site", jobs=2))  # a cold build: every text read by a worker
    records_file, _changes = state_files(tmp_path)
    token, records = archive.incremental.state.load_records(records_file) or ("", {})
    assert sorted(records) == sorted(str(p) for p in (content / "articles/2023").glob("*.md"))
    for path, (stat, text, _rows) in records.items():
        assert stat == archive.incremental.state.stat_key(path) and text.article.path == path
    again = tmp_path / "again.pickle"
    archive.incremental.state.save_records(again, token, records)  # pickled here, in parts of its own
    assert archive.incremental.state.load_records(again) == (token, records)
    halves = [dict(list(records.items())[:40]), dict(list(records.items())[40:])]
    parts = [archive.incremental.state.pickle.dumps(half) for half in halves]
    archive.incremental.state.save_records(again, token, records, parts)
    assert archive.incremental.state.load_records(again) == (token, records)


def test_a_build_under_another_base_url_links_under_it(tmp_path: Path) -> None:
    """Compiled templates are kept by the base URL their filters fold in (`{{ '/' | url }}`)."""
    make_site(tmp_path, 4)
    build(options(tmp_path, "_site"))
    build(options(tmp_path, "sub", base_url="https://example.org/archive/"))
    build(options(tmp_path, "cold", cache=False, base_url="https://example.org/archive/"))
    assert files_of(tmp_path / "sub") == files_of(tmp_path / "cold")
    assert b'class="site-title" href="/archive/"' in (tmp_path / "sub/404.html").read_bytes()


def test_a_template_that_reads_more_of_the_site_is_rebuilt_when_that_changes(tmp_path: Path) -> None:
    make_site(tmp_path, 6)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    footer = templates / "_footer.html"
    footer.write_text(
        footer.read_text().replace("</footer>", "<p>{{ site.texts|length }} texts</p>\n</footer>")
    )
    build(options(tmp_path, "_site", templates))
    (tmp_path / "content/articles/2023/text-100.md").write_text(article(100))
    build(options(tmp_path, "_site", templates))
    build(options(tmp_path, "cold", templates, cache=False))
    assert files_of(tmp_path / "_site") == files_of(tmp_path / "cold")
    assert b"<p>7 texts</p>" in (tmp_path / "_site/articles/text-000/index.html").read_bytes()


def test_the_folders_a_rewrite_drops_are_deleted_once_it_is_done(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trash = site / ".cache/trash"
    emptied: list[list[str]] = []
    real = archive.incremental.cache.empty_trash

    def seen(folder: Path) -> None:
        emptied.append(sorted(name.split("-")[0] for name in os.listdir(folder)))
        real(folder)

    monkeypatch.setattr(archive.incremental.cache, "empty_trash", seen)
    report = build(options(site, "_site", base_url="https://example.org/moved/", jobs=2))
    assert report.written == len(files_of(site / "_site"))  # every page again
    # The old twin and the old live folder, dropped while it built, deleted once it was done.
    assert emptied == [["dropped", "dropped"]]
    assert sorted(path.name for path in site.iterdir()) == [".cache", "_site", "content"]
    deadline = time.monotonic() + 20
    while any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(trash.iterdir())
    assert 'href="/moved/articles/' in (site / "_site/index.html").read_text()
