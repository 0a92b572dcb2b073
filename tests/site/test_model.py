"""Records -> the Site: ordering, pagination, indexes, collisions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import OTHER, SOURCE, text

from archive.base import languages, urls
from archive.base.diagnostics import ContentError
from archive.base.records import ChainStep
from archive.content.config import SiteConfig
from archive.site.model import Text, build_site, look_up_ahead, paginate


def test_lists_are_newest_first_with_stable_ties() -> None:
    site = build_site(
        SiteConfig(),
        {"gazette": SOURCE},
        [text("b", "2020-01-01"), text("a", "2020-01-01"), text("c", "2021-01-01")],
    )
    assert [t.article.slug for t in site.texts] == ["c", "a", "b"]


def test_pagination() -> None:
    texts = tuple(text(f"t{i}", "2020-01-01") for i in range(5))
    pages = paginate(texts, "/tags/x/", 2)
    assert [p.url for p in pages] == ["/tags/x/", "/tags/x/page/2/", "/tags/x/page/3/"]
    assert [len(p.texts) for p in pages] == [2, 2, 1]
    assert pages[1].previous_url == "/tags/x/" and pages[1].next_url == "/tags/x/page/3/"


def test_indexes() -> None:
    chain = (ChainStep("ru", source=OTHER), ChainStep("en", translators=("V. Sergeev",)))
    site = build_site(
        SiteConfig(),
        {"gazette": SOURCE, "other": OTHER},
        [
            text("a", "2023-03-20", tags=("china", "russia"), original_language="zh", chain=chain),
            text("b", "2019-01-01"),
        ],
    )
    assert [(t.name, t.count) for t in site.tags.terms] == [("china", 1), ("russia", 1)]
    assert [(t.slug, t.count) for t in site.sources.terms] == [("gazette", 2), ("other", 1)]
    assert [t.slug for t in site.translators.terms] == ["v-sergeev"]
    assert [t.name for t in site.years.terms] == ["2023", "2019"]
    assert [(t.slug, t.name) for t in site.languages.terms] == [("en", "English"), ("zh", "Chinese")]


def test_alias_on_a_generated_page_is_an_error() -> None:
    with pytest.raises(ContentError) as caught:
        build_site(
            SiteConfig(), {"gazette": SOURCE}, [text("a", "2020-01-01", tags=("x",), aliases=("/tags/x/",))]
        )
    assert "alias /tags/x/ is the URL of a page the archive generates" in caught.value.diagnostics[0].message


def test_looking_up_ahead_leaves_the_model_only_the_settings_languages_to_look_up() -> None:
    chain = (ChainStep("ru", source=OTHER, translators=("Иван Петров",)), ChainStep("en"))
    texts = [
        text("a", "2023-03-20", authors=("习近平",), original_language="zh", chain=chain),
        text("b", "2019-01-01", authors=("Zoë Ångström", "A. N. Other"), translators=("V. Sergeev",)),
        text("c", "2019-01-01", language="fa", original_language="ar"),
    ]
    urls.KNOWN_SLUGS.clear()
    languages.KNOWN_LANGUAGES.clear()
    look_up_ahead(texts)
    slugs, described = set(urls.KNOWN_SLUGS), set(languages.KNOWN_LANGUAGES)
    assert {"zh", "ar", "en"} <= described and ("习近平", 80) in slugs and ("Иван Петров", 80) in slugs
    build_site(SiteConfig(language="en"), {"gazette": SOURCE, "other": OTHER}, texts)
    assert set(urls.KNOWN_SLUGS) == slugs  # every name the model slugs was slugged ahead
    assert set(languages.KNOWN_LANGUAGES) - described <= {
        "en",
        "ru",
        "fa",
    }  # the site's, the sources', the texts' own


def test_a_light_text_keeps_all_but_the_words_and_the_lines_no_page_points_at() -> None:
    full = text("a", "2023-03-20", tags=("china",), aliases=("/old/a/",), work="op-ed")
    full = Text(replace(full.article, lines={"slug": 3, "aliases": 9, "tags": 7}), full.body, stamp="s")
    light = full.light()
    assert light.article == replace(full.article, body="", lines={"slug": 3, "aliases": 9})
    assert light.article.url == full.article.url == "/articles/a/" and light.stamp == "s"
    assert (
        light.body.html == "" and light.body.blocks == full.body.blocks
    )  # a version of a work keeps its blocks
    assert full.article.body == "Text." and full.article.lines["tags"] == 7  # the full text unchanged


def test_translations_are_listed_by_how_they_were_made_in_a_fixed_order() -> None:
    texts = [
        text("a", "2023-01-01", original_language="ru", translation="machine"),
        text("b", "2023-01-02", original_language="ru", translation="official"),
        text("c", "2023-01-03", original_language="zh", translation="machine"),
        text("d", "2023-01-04"),  # an original
    ]
    site = build_site(SiteConfig("T", "", "en", "https://example.org/", ""), {}, texts)
    terms = site.translations.terms
    assert [(t.slug, t.name, [x.article.slug for x in t.texts]) for t in terms] == [
        ("official", "Official translation", ["b"]),
        ("machine", "Machine translation", ["c", "a"]),
    ]
    assert terms[1].url == "/translations/machine/"
    assert site.translations in site.taxonomies


def test_each_month_with_texts_has_a_list_under_its_year() -> None:
    texts = [
        text("a", "2023-03-20"),
        text("b", "2023-03-02"),
        text("c", "2023-11-01"),
        text("d", "1906-08-05"),
    ]
    site = build_site(SiteConfig(), {}, texts)
    assert [(m.name, m.url, [t.article.slug for t in m.texts]) for m in site.months] == [
        ("November 2023", "/years/2023/11/", ["c"]),
        ("March 2023", "/years/2023/03/", ["a", "b"]),
        ("August 1906", "/years/1906/08/", ["d"]),
    ]
    assert [m.slug for m in site.months_of("2023")] == ["2023-11", "2023-03"]
    assert site.months_of("1999") == ()


def test_years_are_listed_newest_first_by_number() -> None:
    site = build_site(
        SiteConfig(), {}, [text("a", "0800-01-01"), text("b", "1917-11-07"), text("c", "2023-03-20")]
    )
    assert [t.name for t in site.years.terms] == ["2023", "1917", "800"]
