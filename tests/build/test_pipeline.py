"""The whole build, end to end, on the bundled content."""

from __future__ import annotations

import datetime
import html
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, TEMPLATES, WriteTree, minimal_content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linkcheck import check_site

import archive.build.pipeline
from archive.base.diagnostics import ContentError
from archive.build.parallel import shrinking_chunks
from archive.build.pipeline import BuildOptions, build

SEED = ROOT / "tests" / "data" / "seed.txt"
JUNK = [
    "world today news/",
    "Translation: V. Sergeev",
    "Vote with ballot No. 14",
    "Subscribe to our YouTube channel",
    "and for the channel or in Telegram",
    "#Jinping #persistently",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "_site"
    build(BuildOptions(ROOT / "content", out, TEMPLATES, cache_dir=out.parent / ".cache"))
    return out


def seed_paragraphs() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    end = next(i for i, line in enumerate(lines) if line.endswith("progress of human civilization."))
    return [lines[0].removeprefix("/ world today news/ "), *lines[1 : end + 1]]


def text_body(page: str) -> str:
    return page.split("data-pagefind-body>", 1)[1].split("</div>", 1)[0]


def paragraphs_of(body: str) -> list[str]:
    found = re.findall(r'<p id="p\d+"><a class="pn"[^>]*>\d+</a> (.*?)</p>', body, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in found]


def test_the_design_urls_exist(site: Path) -> None:
    for path in [
        "index.html",
        "articles/xi-2023-op-ed/index.html",
        "tags/index.html",
        "tags/china/index.html",
        "sources/index.html",
        "sources/pogled-info/index.html",
        "authors/index.html",
        "authors/xi-jinping/index.html",
        "translators/index.html",
        "translators/v-sergeev/index.html",
        "languages/index.html",
        "languages/zh/index.html",
        "years/index.html",
        "years/2023/index.html",
        "works/index.html",
        "works/xi-2023-russia-op-ed/index.html",
        "search/index.html",
        "feed.xml",
        "tags/china/feed.xml",
        "sources/pogled-info/feed.xml",
        "sitemap.xml",
        "robots.txt",
        "data/articles.json",
        "data/articles.csv",
        "404.html",
    ]:
        assert (site / path).is_file(), path


def test_op_ed_holds_every_paragraph_and_none_of_the_junk(site: Path) -> None:
    page = (site / "articles/xi-2023-op-ed/index.html").read_text(encoding="utf-8")
    body = text_body(page)
    assert paragraphs_of(body) == seed_paragraphs()
    for junk in JUNK:
        assert junk not in html.unescape(body)


def test_discussion_questions_are_kept_apart(site: Path) -> None:
    page = (site / "articles/xi-2023-op-ed/index.html").read_text(encoding="utf-8")
    after_text = page.split("data-pagefind-body>", 1)[1].split("</div>", 1)[1]
    assert "Discussion questions" in after_text
    assert "Not part of the text" in after_text
    assert "Given the increasing scrutiny" in html.unescape(after_text)


def test_removed_lines_are_shown_for_the_record(site: Path) -> None:
    page = html.unescape((site / "articles/xi-2023-op-ed/index.html").read_text(encoding="utf-8"))
    removed = page.split('id="removed-heading"', 1)[1]
    for junk in JUNK:
        assert junk in removed


def test_tag_and_source_pages_link_the_op_ed(site: Path) -> None:
    for page in [
        "tags/china/index.html",
        "sources/world-today-news/index.html",
        "sources/pogled-info/index.html",
    ]:
        assert 'href="/articles/xi-2023-op-ed/"' in (site / page).read_text(encoding="utf-8"), page


def test_original_title_carries_its_language(site: Path) -> None:
    page = (site / "articles/xi-2023-op-ed/index.html").read_text(encoding="utf-8")
    assert (
        '<span data-pagefind-body lang="zh" dir="ltr">踔厉前行，开启中俄友好合作、共同发展新篇章</span>'
        in page
    )


def test_every_internal_link_resolves(site: Path) -> None:
    assert check_site(site, "/", "https://example.org/") == []


def test_sub_path_build_keeps_every_link_inside(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(
        BuildOptions(
            ROOT / "content", out, TEMPLATES, base_url="https://example.org/archive/", cache_dir=tmp_path
        )
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="/archive/static/style\.[0-9a-f]{8}\.css"', page)
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/archive/feed.xml"' in page
    search = (out / "search/index.html").read_text(encoding="utf-8")
    assert 'data-base="/archive/"' in search  # the bundles' paths below are taken from there
    assert '["en", "English", ["/pagefind/en/0/"]]' in search
    assert (out / "pagefind/en/0/pagefind-entry.json").is_file()
    feed = (out / "tags/china/feed.xml").read_text(encoding="utf-8")
    assert 'href="https://example.org/archive/articles/xi-2023-op-ed/"' in feed
    assert check_site(out, "/archive/", "https://example.org/archive/") == []


def test_no_search_skips_the_index(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    report = build(BuildOptions(ROOT / "content", out, TEMPLATES, search=False, cache_dir=tmp_path))
    assert not (out / "pagefind").exists()
    assert "search" not in report.timings and "search" not in report.summary()
    assert "data-indexes='[]'" in (out / "search/index.html").read_text(encoding="utf-8")  # the page says so


def test_the_index_is_built_and_timed_apart(site: Path) -> None:
    report = build(BuildOptions(ROOT / "content", site.parent / "again", TEMPLATES, cache_dir=site.parent))
    assert "search" in report.timings and "write" in report.timings
    assert "search" in report.summary()
    for language in ("en", "fa", "zh"):  # the bundled texts' languages, each indexed apart
        assert (site / f"pagefind/{language}/0/pagefind.js").is_file()
    assert not list(site.glob("pagefind/**/pagefind-component-ui.js"))  # the page has its own


def page_of(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_op_ed_chain_runs_oldest_first_with_the_bulgarian_translator(site: Path) -> None:
    page = page_of(site, "articles/xi-2023-op-ed/index.html")
    chain = page.split('id="chain-heading"', 1)[1].split("</ol>", 1)[0]
    steps = chain.split("<li>")[1:]
    assert [s.split('class="chain-language">', 1)[1].split("<", 1)[0].split()[0] for s in steps] == [
        "Chinese",
        "Russian",
        "Bulgarian",
        "English",
    ]
    assert '(<span lang="zh" dir="ltr">中文</span>)' in steps[0]
    assert "the original" in steps[0] and "publication unknown" in steps[0]
    assert 'href="/sources/rossiyskaya-gazeta/"' in steps[1] and "translator unknown" in steps[1]
    assert 'href="/translators/v-sergeev/"><bdi>V. Sergeev</bdi></a>' in steps[2]
    assert 'href="/sources/pogled-info/"' in steps[2]


def test_rtl_original_title_and_body_carry_lang_and_dir(site: Path) -> None:
    browne = page_of(site, "articles/persia-1906-farman-en-browne/index.html")
    assert 'lang="fa" dir="rtl">فرمان مشروطیت</span>' in browne
    persian = page_of(site, "articles/persia-1906-farman-fa/index.html")
    assert 'data-pagefind-meta="title" lang="fa" dir="rtl">' in persian
    assert 'class="text-body" lang="fa" dir="rtl"' in persian
    assert "align:" not in persian.split("data-pagefind-body>", 1)[1].split("</div>", 1)[0]


def test_cjk_version_is_marked_for_its_fonts(site: Path) -> None:
    page = page_of(site, "articles/xi-2023-forging-ahead-zh-opening/index.html")
    assert 'class="text-body cjk" lang="zh-Hans" dir="ltr"' in page


def test_excerpts_say_so(site: Path) -> None:
    page = page_of(site, "articles/xi-2023-forging-ahead-en-opening/index.html")
    assert "Excerpt: the archive holds only the opening" in page
    assert "(full story)" not in text_body(page)


def test_the_op_ed_work_page_shows_three_versions_original_first(site: Path) -> None:
    page = page_of(site, "works/xi-2023-russia-op-ed/index.html")
    head = page.split('class="parallel-row parallel-head"', 1)[1].split('class="parallel-row"', 1)[0]
    order = re.findall(r'href="/articles/([a-z0-9-]+)/"', head)
    assert order == ["xi-2023-forging-ahead-zh-opening", "xi-2023-forging-ahead-en-opening", "xi-2023-op-ed"]
    first_row = page.split('<div class="parallel-row" role="row">', 2)[1]
    assert 'lang="zh-Hans"' in first_row and "应普京总统邀请" in first_row
    assert first_row.count('class="parallel-block"') == 4  # zh | official en | chain p1-p2


def test_work_page_keeps_every_paragraph_of_every_version_in_order(site: Path) -> None:
    page = page_of(site, "works/xi-2023-russia-op-ed/index.html")
    numbers = re.findall(r'href="/articles/xi-2023-op-ed/#p(\d+)"', page)
    assert numbers == [str(n) for n in range(1, 20)]


def test_versions_list_each_other(site: Path) -> None:
    page = page_of(site, "articles/xi-2023-forging-ahead-en-opening/index.html")
    versions = page.split('id="versions-heading"', 1)[1].split("</section>", 1)[0]
    assert 'href="/articles/xi-2023-op-ed/"' in versions
    assert 'href="/articles/xi-2023-forging-ahead-zh-opening/"' in versions
    assert 'href="/works/xi-2023-russia-op-ed/"' in versions
    assert 'href="/translators/v-sergeev/"' in versions


def test_json_ld_parses_back(site: Path) -> None:
    page = page_of(site, "articles/xi-2023-op-ed/index.html")
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    assert data["translator"] == [{"@type": "Person", "name": "V. Sergeev"}]
    assert data["translationOfWork"]["inLanguage"] == "zh-Hans"
    assert data["url"] == "https://example.org/articles/xi-2023-op-ed/"


def test_article_pages_cite_and_give_provenance(site: Path) -> None:
    page = html.unescape(page_of(site, "articles/xi-2023-op-ed/index.html"))
    assert "@misc{xi-2023-op-ed," in page and "origlanguage = {chinese}" in page
    assert "Translated by V. Sergeev. World Today News, March 20, 2023." in page  # Chicago, as CSL renders it
    provenance = page.split('id="provenance-heading"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'class="fingerprint">[0-9a-f]{64}<', provenance)
    assert "sha256sum" in provenance


def test_article_pages_link_every_way_to_browse(site: Path) -> None:
    page = page_of(site, "articles/persia-1906-farman-fa/index.html")
    for url in ["/authors/", "/translators/", "/languages/", "/years/", "/works/"]:
        assert f'href="{url}"' in page, url


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(str.strip)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=names,
    authors=st.lists(names, min_size=1, max_size=3),
    translators=st.lists(names, max_size=2),
    tags=st.lists(slugs, max_size=3),
    aliases=st.lists(slugs.map(lambda s: f"/old/{s}/"), max_size=2),
    body=st.text(max_size=300),
)
def test_any_valid_looking_content_builds_or_is_refused_with_diagnostics(
    title: str,
    authors: list[str],
    translators: list[str],
    tags: list[str],
    aliases: list[str],
    body: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import yaml

    front = {
        "title": title,
        "date": "2023-03-20",
        "source": "pogled-info",
        "authors": authors,
        "translators": translators,
        "tags": tags or ["x"],
        "aliases": aliases,
        "chain": [{"language": "zh"}, {"language": "en", "translators": translators or ["t"]}],
    }
    root = tmp_path_factory.mktemp("random")
    for name, text in minimal_content(
        **{"a-text": "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\nText.\n" + body}
    ).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(str(text), encoding="utf-8")
    try:
        build(BuildOptions(root / "content", root / "_site", TEMPLATES, search=False))
    except ContentError as error:
        assert all(d.line >= 1 and d.path for d in error.diagnostics)
    else:  # without a search index, only the search page's links to it may dangle
        assert [e for e in check_site(root / "_site") if "/pagefind/" not in e] == []


@given(st.integers(min_value=0, max_value=30_000), st.integers(min_value=2, max_value=8))
def test_chunks_cover_every_item_in_order_and_shrink_towards_the_end(count: int, processes: int) -> None:
    chunks = shrinking_chunks(range(count), processes)
    assert [i for chunk in chunks for i in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in chunks]
    assert all(0 < size <= 200 for size in sizes) and sizes == sorted(sizes, reverse=True)
    assert not sizes or sizes[-1] <= 4


def test_drafts_and_texts_dated_after_today_are_left_out_unless_asked_for(write_tree: WriteTree) -> None:
    draft = ARTICLE.replace("title: A Text", "title: A Draft").replace(
        "---\n\n", "draft: true\nfiles:\n  - {file: draft-scan.pdf, description: A scan}\n---\n\n"
    )
    later = ARTICLE.replace("title: A Text", "title: Tomorrow's Text").replace("2023-03-20", "2026-12-04")
    files = minimal_content(**{"a-text": ARTICLE, "a-draft": draft, "tomorrow": later})
    files["content/files/draft-scan.pdf"] = b"%PDF-1.4\n"
    root = write_tree(files)
    today = datetime.date(2026, 12, 3)
    options = BuildOptions(
        root / "content", root / "_site", TEMPLATES, search=False, history=False, today=today
    )
    report = build(options)
    assert report.texts == 1
    assert report.held_back == (
        "1 draft and 1 text dated after today are held back from the site (build --drafts --future"
        " includes them)"
    )
    site = root / "_site"
    assert not (site / "articles/a-draft").exists() and not (site / "articles/tomorrow").exists()
    assert not (site / "files/draft-scan.pdf").exists()  # a draft's files stay out with it
    for listing in ("index.html", "feed.xml", "sitemap.xml", "data/articles.json", "years/index.html"):
        made = (site / listing).read_text("utf-8")
        assert "a-draft" not in made and "tomorrow" not in made, listing

    shown = replace(options, drafts=True, future=True)
    assert build(shown).texts == 3
    assert (site / "files/draft-scan.pdf").is_file()
    assert "<strong>Draft.</strong>" in (site / "articles/a-draft/index.html").read_text("utf-8")
    assert "Not yet published" in (site / "articles/tomorrow/index.html").read_text("utf-8")
    assert "Not yet published" not in (site / "articles/a-text/index.html").read_text("utf-8")

    # The next day the text is published, by a build of the same files with its cache.
    build(options)
    next_day = replace(options, today=datetime.date(2026, 12, 4))
    assert build(next_day).texts == 2
    page = (site / "articles/tomorrow/index.html").read_text("utf-8")
    assert "Not yet published" not in page
    assert "tomorrow" in (site / "index.html").read_text("utf-8")


def test_related_texts_are_found_again_only_when_what_they_are_made_of_changes(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    tagged = ARTICLE.replace("---\n\n", "tags: [china]\n---\n\n")
    root = write_tree(minimal_content(**{"a-text": tagged, "other": tagged.replace("A Text", "Other")}))
    options = BuildOptions(root / "content", root / "_site", TEMPLATES, search=False, history=False)
    found: list[int] = []
    real = archive.build.pipeline.related_urls
    monkeypatch.setattr(archive.build.pipeline, "related_urls", lambda site: found.append(1) or real(site))
    build(options)
    page = (root / "_site/articles/a-text/index.html").read_text("utf-8")
    assert 'id="related-heading"' in page and 'href="/articles/other/"' in page
    (root / "content/articles/2023/other.md").write_text(tagged.replace("A Text", "Other") + "More words.\n")
    build(options)
    assert found == [1]  # the words changed, not what relates the texts
    other = tagged.replace("[china]", "[russia]").replace("Xi Jinping", "Li Wei")
    (root / "content/articles/2023/other.md").write_text(other)
    build(options)
    assert found == [1, 1]  # nothing but the source relates them now: not enough
    assert 'id="related-heading"' not in (root / "_site/articles/a-text/index.html").read_text("utf-8")
