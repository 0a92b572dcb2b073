"""Related texts: shared authors, tags and source, scored, a few at most, the same every time."""

from __future__ import annotations

from dataclasses import replace

from factories import OTHER, SOURCE, text

from archive.base.records import ChainStep
from archive.content.config import SiteConfig
from archive.site import related
from archive.site.model import Site, Text, build_site
from archive.site.related import features_key, related_texts, related_urls


def site_of(*texts: Text) -> Site:
    return build_site(SiteConfig(), {"gazette": SOURCE, "other": OTHER}, texts)


def test_texts_sharing_more_come_first_and_a_source_alone_is_not_enough() -> None:
    site = site_of(
        text("a", "2023-03-01", authors=("Xi Jinping",), tags=("china", "russia")),
        text("b", "2023-03-02", authors=("Xi Jinping",), tags=("china",)),  # author + tag: 5
        text("c", "2023-03-03", authors=("Li Wei",), tags=("china", "russia")),  # two tags: 4
        text("d", "2023-03-04", authors=("Anna Lee",)),  # the same source only: 1
    )
    found = related_urls(site)
    assert found["/articles/a/"] == ("/articles/b/", "/articles/c/")
    assert "/articles/d/" not in found  # its one link, the source, is not enough
    texts = related_texts(site, found)
    assert [t.article.slug for t in texts["/articles/a/"]] == ["b", "c"]


def test_versions_of_the_text_s_own_work_are_left_out() -> None:
    site = site_of(
        text("a", "2023-03-01", tags=("china",), work="w"),
        text("b", "2023-03-01", tags=("china",), work="w", language="ru"),
        text("c", "2020-01-01", tags=("china",)),
    )
    assert related_urls(site)["/articles/a/"] == ("/articles/c/",)


def test_a_few_at_most_the_nearest_in_date_first_and_the_same_every_time() -> None:
    texts = [text(f"t{n:02d}", f"2023-01-{n:02d}", tags=("china",)) for n in range(1, 29)]
    site = site_of(*texts)
    found = related_urls(site)
    assert found["/articles/t10/"] == ("/articles/t11/", "/articles/t09/", "/articles/t12/", "/articles/t08/")
    assert all(len(urls) <= related.SHOWN for urls in found.values())
    assert related_urls(site_of(*reversed(texts))) == found


def test_the_key_follows_what_lists_are_made_of_and_not_the_words() -> None:
    one = text("a", "2023-03-01", tags=("china",))
    reworded = Text(replace(one.article, body="Other words."), one.body, stamp="other")
    retagged = text("a", "2023-03-01", tags=("russia",))
    assert features_key([one]) == features_key([reworded])
    assert features_key([one]) != features_key([retagged])
    retitled = Text(replace(one.article, title="Another"), one.body)  # the site's order: by date, then title
    through = text("a", "2023-03-01", tags=("china",), chain=(ChainStep("ru", source=OTHER),))
    assert len({features_key([t]) for t in (one, retitled, through)}) == 3


def test_of_another_work_only_its_best_version_is_listed() -> None:
    site = site_of(
        text("a", "2023-03-01", tags=("china",)),
        text("b", "2023-03-02", tags=("china",), work="w"),
        text("c", "2023-03-02", tags=("china",), work="w", language="ru"),
        text("d", "2023-03-05", tags=("china",)),
    )
    assert related_urls(site)["/articles/a/"] == ("/articles/b/", "/articles/d/")
