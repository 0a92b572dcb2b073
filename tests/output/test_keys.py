"""Output keys: fingerprints of what a file is made from, and what templates reach of the site."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import TEMPLATES
from factories import SOURCE, text
from markupsafe import Markup

from archive.content.config import SiteConfig
from archive.output.keys import Fingerprints
from archive.output.templating import make_environment, read_site_path, site_reads
from archive.site.model import build_site


@dataclass(frozen=True)
class Pair:
    left: object
    right: object


def test_a_text_is_known_by_its_stamp_and_the_site_by_its_texts() -> None:
    first, second = replace(text("a", "2020-01-01"), stamp="s1"), replace(text("b", "2020-01-02"), stamp="s2")
    prints = Fingerprints()
    assert prints.of(first) == "Ts1"
    assert prints.of(replace(first, notes_html="other")) == "Ts1"  # the stamp covers all of the text
    site = build_site(SiteConfig(), {"gazette": SOURCE}, [first, second])
    assert Fingerprints(site).of(site) == "STs2Ts1"


def test_values_are_taken_apart_field_by_field() -> None:
    prints = Fingerprints()
    assert prints.of(Pair("a", 1)) != prints.of(Pair("a", 2))
    assert prints.of(Pair("1", 1)) != prints.of(Pair(1, "1"))  # the types count
    assert prints.of(Pair(("a", "b"), None)) != prints.of(Pair(("a",), "b"))
    assert prints.of({"b": 1, "a": 2}) == prints.of({"a": 2, "b": 1})
    assert prints.of(datetime.date(2020, 1, 2)) != prints.of("2020-01-02")
    assert prints.of(Markup("<b>x</b>")) != prints.of("<b>x</b>")
    assert prints.of(b"abc") != prints.of(b"abd")
    a_text = text("a", "2020-01-01")  # a text without a stamp is taken apart too
    assert prints.of(a_text) != prints.of(replace(a_text, notes_html="<p>A note.</p>"))


def test_what_has_no_fingerprint_is_refused() -> None:
    with pytest.raises(TypeError, match="no fingerprint for a object"):
        Fingerprints().of(object())


def environment(tmp_path: Path, templates: dict[str, str]) -> object:
    for name, source in templates.items():
        (tmp_path / name).write_text(source)
    return make_environment(tmp_path, "https://example.org/", {})


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("{{ site.config.title }}", {("config", "title")}),
        ("{{ site.texts | length }} {{ site.tags.url | url }}", {("texts",), ("tags", "url")}),
        ("{{ site['config'].title }}", {("config", "title")}),
        ("{% for t in site.texts %}{{ t.article.title }}{% endfor %}", {("texts",)}),
        ("{{ site.texts[page.n].url }}", {("texts",)}),  # a subscript ends the path
        ("{{ site.work_of(page.text) }}", {("work_of",)}),
        ("{{ page.title }}", set()),
        ("{{ site }}", None),
        ("{% set s = site %}{{ s.config.title }}", None),
        ("{% macro m(x) %}{{ x }}{% endmacro %}{{ m(site) }}", None),
        ("{% include page.template %}", None),  # a template named at run time
        ("{{ once(page.part) }}", None),
    ],
)
def test_site_reads_are_the_attribute_paths_a_template_takes(
    tmp_path: Path, source: str, reads: set[tuple[str, ...]] | None
) -> None:
    env = environment(tmp_path, {"page.html": source})
    assert site_reads(env, "page.html") == (None if reads is None else frozenset(reads))  # type: ignore[arg-type]


def test_site_reads_follow_every_template_a_page_reaches(tmp_path: Path) -> None:
    env = environment(
        tmp_path,
        {
            "base.html": "{{ site.config.language }}{% block main %}{% endblock %}{{ once('_footer.html') }}",
            "_footer.html": "{{ site.texts | length }}",
            "_macros.html": "{% macro m() %}{{ site.sources.url }}{% endmacro %}",
            "_text_item.html": "{{ site.config.title }}",
            "page.html": (
                "{% extends 'base.html' %}{% import '_macros.html' as macros with context %}"
                "{% block main %}{{ text_items(page.texts, 2) }}{{ macros.m() }}{% endblock %}"
            ),
        },
    )
    assert site_reads(env, "page.html") == frozenset(
        {("config", "language"), ("texts",), ("sources", "url"), ("config", "title")}
    )


def test_the_shipped_templates_read_parts_of_the_site_not_all_of_it() -> None:
    env = make_environment(TEMPLATES, "https://example.org/", {})
    for template in ("home.html", "article.html", "term.html", "taxonomy.html", "work.html", "404.html"):
        reads = site_reads(env, template)
        assert reads is not None and ("texts",) not in reads, template


def test_a_path_to_a_method_reads_its_owner_and_a_missing_one_is_marked(tmp_path: Path) -> None:
    env = make_environment(TEMPLATES, "https://example.org/", {})
    site = build_site(SiteConfig(), {"gazette": SOURCE}, [text("a", "2020-01-01")])
    assert read_site_path(env, site, ("config", "title")) == SiteConfig().title
    assert read_site_path(env, site, ("work_of",)) is site
    assert read_site_path(env, site, ("no_such",)) == ("no attribute", ("no_such",))
