"""The Jinja environment: what it prints is what Jinja's own would, escaped the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEMPLATES
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import DictLoader, Environment, UndefinedError
from markupsafe import Markup, escape

from archive.base.version import code_version
from archive.output.templating import (
    ESCAPE_TEXT,
    compiled_templates,
    escape_output,
    make_environment,
    prints_plainly,
)


class Shown:
    def __html__(self) -> str:
        return "<b>shown</b>"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.text().map(Markup)))
def test_escape_output_prints_what_markupsafe_escape_does(value: object) -> None:
    assert escape_output(value) == str(escape(value))


def test_objects_that_know_their_html_print_it() -> None:
    assert escape_output(Shown()) == "<b>shown</b>" == str(escape(Shown()))


SHOWN = "&lt;script&gt;&#39;&amp;&#34;"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ text }}|{{ safe }}|{{ number }}", f"{SHOWN}|<i>ok</i>|3"),
        ("{% macro bold(x) %}<b>{{ x }}</b>{% endmacro %}{{ bold(text) }}", f"<b>{SHOWN}</b>"),
        ("{% set kept %}<b>{{ text }}</b>{% endset %}{{ kept }}", f"<b>{SHOWN}</b>"),
        (
            "{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}{{ text }}{% endcall %}",
            f"[{SHOWN}]",
        ),
        ("{% filter upper %}{{ text }}{% endfilter %}", SHOWN.upper()),
        ("{% autoescape false %}{{ text }}{% endautoescape %}", "<script>'&\""),
        ("{% autoescape flag %}{{ text }}{% endautoescape %}", SHOWN),
    ],
)
def test_printed_values_are_escaped_and_safe_ones_are_not(source: str, expected: str) -> None:
    env = make_environment(TEMPLATES, "https://example.org/", {}, None)
    values = {"text": "<script>'&\"", "safe": Markup("<i>ok</i>"), "number": 3, "flag": True}
    assert env.from_string(source).render(values) == expected


def test_the_compiler_prints_through_the_archive_escape() -> None:
    if ESCAPE_TEXT is None:
        pytest.skip("this markupsafe has no plain-text escape: Jinja's own is used")
    env = make_environment(TEMPLATES, "https://example.org/", {}, None)
    assert "environment.escape_output(" in env.compile("{{ text }}", raw=True)


class Holder:
    """An object with an attribute, a property that fails, and items."""

    def __init__(self) -> None:
        self.name = "<held>"
        self.empty = None

    @property
    def broken(self) -> str:
        raise AttributeError("broken")

    def __getitem__(self, key: str) -> str:
        return f"item {key}"


ATTRIBUTES = [
    "{{ holder.name }}|{{ holder.empty }}|{{ holder.broken }}|{{ holder.other }}",
    "{{ mapping.key }}|{{ mapping.items is defined }}|{{ mapping.nested.deep }}",
    "{% for k, v in mapping.items() %}{{ k }}{% endfor %}|{{ (holder).name | upper }}",
    "{% macro m(x=holder.name) %}{{ x }}{{ mapping.key }}{% endmacro %}{{ m() }}{{ m(mapping.key) }}",
    "{{ 'abc'.upper() }}|{{ mapping.missing is defined }}|{{ nothing.name is defined }}",
]


@pytest.mark.parametrize("source", ATTRIBUTES)
def test_attributes_and_items_read_as_jinja_reads_them(source: str) -> None:
    env = make_environment(TEMPLATES, "https://example.org/", {}, None)
    stock = Environment(autoescape=True, undefined=env.undefined)
    values = {"holder": Holder(), "mapping": {"key": "<v>", "nested": {"deep": 1}}, "nothing": None}
    assert env.from_string(source).render(values) == stock.from_string(source).render(values)


def test_a_missing_attribute_is_still_an_error() -> None:
    env = make_environment(TEMPLATES, "https://example.org/", {}, None)
    with pytest.raises(UndefinedError, match="no attribute 'other'"):
        env.from_string("{{ mapping.other }}").render(mapping={})


def test_templates_see_the_archive_globals_in_one_plain_dict() -> None:
    """Jinja's default, a ChainMap, is walked key by key on every render and macro import."""
    env = make_environment(TEMPLATES, "https://example.org/", {}, None)
    for name in ("article.html", "term.html", "_macros.html", "_text_item.html"):
        template = env.get_template(name)
        assert type(template.globals) is dict
        assert {"text_item", "text_items", "once", "assets"} <= template.globals.keys()


def test_templates_compiled_by_other_code_are_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "__jinja2_0123.cache").write_bytes(b"compiled by an older compiler")
    env = make_environment(TEMPLATES, "https://example.org/", {}, folder)
    env.get_template("404.html")
    names = [p.name for p in folder.iterdir()]
    assert names and all(name.startswith(f"compiled-{code_version()[:16]}-") for name in names)
    assert compiled_templates(folder) is not None and sorted(p.name for p in folder.iterdir()) == sorted(
        names
    )


BASE = "<html>{% block main %}{% endblock %}</html>"


@pytest.mark.parametrize(
    ("source", "plainly"),
    [
        ("{{ page.title }}<div>{{ page.body }}</div>{{ page.text.body.sha256 }}", True),
        (
            '{% extends "base.html" %}{% block main %}{% if page.body %}{{ page.body }}{% endif %}{% endblock %}',
            False,
        ),
        (
            '{% extends "base.html" %}{% block main %}{% for x in page.xs %}{{ page.body }}{% endfor %}{% endblock %}',
            True,
        ),
        ("{% autoescape false %}{{ page.body }}{% endautoescape %}", True),
        ("{{ page.body | length }}", False),
        ("{{ page.body ~ '' }}", False),
        ("{{ page.body if page.title }}", False),
        ("{{ page['body'] }}", False),
        ("{{ page.body.strip() }}", False),
        ("{% set b = page.body %}{{ b }}", False),
        ("{% set p = page %}{{ p.title }}", False),
        ("{% macro show(p) %}{{ p.title }}{% endmacro %}{{ show(page) }}", False),
        ("{% macro show() %}{{ page.body }}{% endmacro %}{{ show() }}", False),
        ("{% filter upper %}{{ page.body }}{% endfilter %}", False),
        ("{% set b %}{{ page.body }}{% endset %}{{ b | wordcount }}", False),
        ("{% block main %}{{ page.body }}{% endblock %}{{ self.main() | length }}", False),
        ('{% extends "base.html" %}{% block main %}{{ super() | upper }}{% endblock %}', False),
        ('{% include "body.html" %}', False),
        ('{% macro m() %}{% include "plain.html" %}{% endmacro %}{{ m() | upper }}', False),
        ('{% include "plain.html" %}', True),
        ("{% include page.template %}", False),
        ('{% import "body.html" as b with context %}', False),
        ('{% include "missing.html" %}', False),
        ("{% for x in page.xs recursive %}{{ page.body }}{{ loop(x.xs) }}{% endfor %}", False),
    ],
)
def test_a_value_is_known_to_reach_the_page_unchanged_only_where_it_is_printed_plainly(
    source: str, plainly: bool
) -> None:
    loader = DictLoader(
        {
            "page.html": source,
            "base.html": BASE,
            "plain.html": "<p>{{ page.body }}</p>",
            "body.html": "{{ page.body | upper }}",
        }
    )
    assert prints_plainly(Environment(loader=loader), "page.html", "page", "body") is plainly


def test_the_article_template_prints_its_body_plainly() -> None:
    env = make_environment(TEMPLATES, "https://example.org/", {})
    assert prints_plainly(env, "article.html", "page", "body")
