"""Content files -> validated records: the bundled content, and every kind of bad input."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, WriteTree, minimal_content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.base.diagnostics import ContentError
from archive.content.reader import read_content

A = "content/articles/2023/a-text.md"

INVALID_ARTICLES = [
    (
        ARTICLE.replace("title:", "titel:"),
        [
            f"{A}:1: error: missing required field 'title' in the front matter",
            f"{A}:2: error: unknown field 'titel' in the front matter (did you mean 'title'?)",
        ],
    ),
    (
        ARTICLE.replace("2023-03-20", "2023-02-30"),
        [f"{A}:3: error: 'date': 2023-02-30 is not a real date (dates are YYYY-MM-DD)"],
    ),
    (
        ARTICLE.replace("2023-03-20", "20 March 2023"),
        [f"{A}:3: error: 'date': '20 March 2023' is not a date (write 2023-03-20)"],
    ),
    (
        ARTICLE.replace("source: pogled-info", "source: pogled-inf"),
        [
            f"{A}:4: error: unknown source 'pogled-inf' (did you mean 'pogled-info'? "
            "sources are listed in content/sources.yaml)"
        ],
    ),
    (
        ARTICLE.replace("[Xi Jinping]", "Xi Jinping"),
        [f"{A}:5: error: 'authors' must be a list (write authors: [Xi Jinping])"],
    ),
    (
        ARTICLE.replace("[Xi Jinping]", "[]"),
        [f"{A}:5: error: 'authors' is an empty list (list at least one, or remove 'authors')"],
    ),
    (
        ARTICLE.replace("authors:", "language: chinese\nauthors:"),
        [f"{A}:5: error: 'language': 'chinese' is not a BCP 47 language code (did you mean 'zh' (Chinese)?)"],
    ),
    (
        ARTICLE.replace("authors:", "language: no\nauthors:"),
        [
            f"{A}:5: error: 'language': YAML reads no as a true/false value (False), not text "
            '(put it in quotes: language: "no")'
        ],
    ),
    (
        ARTICLE.replace("authors:", "source_url: javascript:alert(1)\nauthors:"),
        [
            f"{A}:5: error: 'source_url': 'javascript:alert(1)' is not an http(s) URL (write the full address, https://...)"
        ],
    ),
    (
        ARTICLE.replace("authors:", "slug: My Slug\nauthors:"),
        [
            f"{A}:5: error: 'slug': 'My Slug' is not a safe slug (lower-case a-z, 0-9, hyphens) (write 'my-slug')"
        ],
    ),
    (
        "Just text\n",
        [
            f"{A}:1: error: no front matter: the file must start with a line '---' (see docs/content-format.md)"
        ],
    ),
    (
        "---\ntitle: x\n\nbody\n",
        [f"{A}:1: error: the front matter is not closed (add a line '---' after the last field)"],
    ),
    (
        ARTICLE.replace("authors: [Xi Jinping]", "authors: [Xi Jinping"),
        [f"{A}:5: error: YAML syntax error: the '[' on this line is not closed (add the closing ']')"],
    ),
    (
        "---\n- a\n- b\n---\n\ntext\n",
        [
            f"{A}:1: error: the front matter must be a mapping of fields (name: value) (see docs/content-format.md)"
        ],
    ),
    ("", [f"{A}:1: error: the file is empty (an article starts with front matter between '---' lines)"]),
    (
        ARTICLE.replace("title: A Text", "title: !!python/object/apply:os.system [echo hi]"),
        [
            f"{A}:2: error: YAML tag '!!python/object/apply:os.system' is not allowed "
            "(content may hold only plain text, numbers, dates, lists and mappings)"
        ],
    ),
    (
        ARTICLE.replace("title: A Text", "a: &a [x, x]\nb: &b [*a, *a]\ntitle: A Text"),
        [
            f"{A}:2: error: YAML anchor '&a' is not allowed "
            "(write the value out in full; anchors and aliases are refused in content)"
        ],
    ),
    (
        ARTICLE.replace("authors:", "tags: [China]\nauthors:"),
        [f"{A}:5: error: tag 'China' is not in its normal form (write 'china')"],
    ),
    (
        "---\ntitle: x\n---\n\ntext\n",
        [
            f"{A}:1: error: missing required field 'authors' in the front matter",
            f"{A}:1: error: missing required field 'date' in the front matter",
            f"{A}:1: error: missing required field 'source' in the front matter",
        ],
    ),
    (
        ARTICLE.replace("title: A Text", 'title: "TODO: the title"'),
        [
            f"{A}:2: error: 'title' is still a TODO: TODO: the title (fill in what the importer could not know)"
        ],
    ),
    (
        ARTICLE.replace("title: A Text", "title: 1.10"),
        [
            f"{A}:2: error: 'title': YAML reads 1.10 as a number (1.1), not text (put it in quotes: title: \"1.10\")"
        ],
    ),
    (
        ARTICLE.replace("The first paragraph.\n", ""),
        [f"{A}:7: error: the text is empty (put the text itself after the front matter)"],
    ),
    (
        ARTICLE.encode("utf-8").replace(b"A Text", b"A \xff Text"),
        [f"{A}:2: error: not valid UTF-8 (byte 0xff) (save the file as UTF-8)"],
    ),
    (
        b"\x89PNG\r\n\x1a\n\x00\x00",
        [f"{A}:1: error: not a text file (it contains NUL bytes) (only UTF-8 Markdown files belong here)"],
    ),
]


def errors_of(
    write_tree: WriteTree, files: dict[str, str | bytes], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    root = write_tree(files)
    monkeypatch.chdir(root)
    with pytest.raises(ContentError) as caught:
        read_content(Path("content"))
    return [d.format() for d in caught.value.diagnostics]


@pytest.mark.parametrize(("text", "expected"), INVALID_ARTICLES)
def test_invalid_article_is_reported_exactly(
    text: str | bytes, expected: list[str], write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content()
    files[A] = text
    assert errors_of(write_tree, files, monkeypatch) == expected


def test_all_problems_of_all_files_in_one_run(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal_content(
        one=ARTICLE.replace("title:", "titel:"), two=ARTICLE.replace("2023-03-20", "2023-13-01")
    )
    files["content/sources.yaml"] += "bad key:\n  name: X\n  language: en\n  description: d\n"
    errors = errors_of(write_tree, files, monkeypatch)
    assert [e.split(":")[0] for e in errors] == [
        "content/articles/2023/one.md",
        "content/articles/2023/one.md",
        "content/articles/2023/two.md",
        "content/sources.yaml",
    ]


def test_duplicate_slugs_name_both_files(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal_content(first=ARTICLE.replace("authors:", "slug: same\nauthors:"))
    files["content/articles/2024/same.md"] = ARTICLE
    errors = errors_of(write_tree, files, monkeypatch)
    assert errors == [
        "content/articles/2024/same.md:1: error: URL /articles/same/ is already claimed by "
        "content/articles/2023/first.md:5 (change the slug or the alias of one of them)"
    ]


def test_site_yaml_is_validated(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal_content()
    files["content/site.yaml"] = "title: T\nlanguage: en\nbase_url: ftp://x/\ncolour: red\n"
    assert errors_of(write_tree, files, monkeypatch) == [
        "content/site.yaml:3: error: 'base_url': 'ftp://x/' is not an http(s) URL (write the full address, https://...)",
        "content/site.yaml:4: error: unknown field 'colour' in site.yaml",
    ]


def test_sources_yaml_is_validated(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal_content()
    files["content/sources.yaml"] += "other:\n  name: Other\n  langauge: en\n  description: d\n"
    assert errors_of(write_tree, files, monkeypatch) == [
        "content/sources.yaml:7: error: missing required field 'language' in a source",
        "content/sources.yaml:9: error: unknown field 'langauge' in source 'other' (did you mean 'language'?)",
    ]


def test_a_valid_article_becomes_a_record(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    text = ARTICLE.replace("authors:", "translators: [V. Sergeev]\noriginal_language: zh\nauthors:")
    root = write_tree(minimal_content(**{"a-text": text + "\n<!-- editorial: Questions -->\n\nWhy?\n"}))
    monkeypatch.chdir(root)
    (article,) = read_content(Path("content")).articles
    assert article.slug == "a-text"
    assert article.date == datetime.date(2023, 3, 20)
    assert article.source.name == "Pogled.Info"
    assert article.translators == ("V. Sergeev",)
    assert article.language == "en" and article.is_translation
    assert article.body.strip() == "The first paragraph."
    assert [(s.heading, s.body) for s in article.editorial] == [("Questions", "Why?")]


def test_bundled_content_is_valid() -> None:
    content = read_content(ROOT / "content")
    seed = next(a for a in content.articles if a.slug == "xi-2023-op-ed")
    assert seed.translators == ("V. Sergeev",)
    assert seed.original_language == "zh"
    assert [s.language for s in seed.chain] == ["zh", "ru", "bg", "en"]
    assert {"rossiyskaya-gazeta", "pogled-info", "world-today-news"} <= set(content.sources)
    assert [s.heading for s in seed.editorial] == ["Discussion questions"]


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELD_NAMES = [
    "title",
    "date",
    "source",
    "authors",
    "tags",
    "chain",
    "language",
    "slug",
    "aliases",
    "excerpt",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    front=st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=10), yaml_values, max_size=8),
    body=st.text(max_size=200),
)
def test_validation_never_raises_anything_but_content_error(
    front: dict[str, object], body: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    root = write_tree(minimal_content(**{"a-text": text}))
    monkeypatch.chdir(root)
    try:
        read_content(Path("content"))
    except ContentError as error:
        assert all(d.line >= 1 for d in error.diagnostics)


def test_an_alias_on_another_texts_url_names_both_files(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content(
        first=ARTICLE.replace("authors:", "aliases: [/articles/second/]\nauthors:"), second=ARTICLE
    )
    errors = errors_of(write_tree, files, monkeypatch)
    assert len(errors) == 1
    assert "content/articles/2023/first.md" in errors[0]
    assert "content/articles/2023/second.md" in errors[0]
    assert "/articles/second/" in errors[0]


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("/index.html", "alias '/index.html' would replace /index.html, which the archive writes itself"),
        ("/feed.xml/", "alias '/feed.xml/' would replace /feed.xml, which the archive writes itself"),
        (
            "/data/articles.json/",
            "alias '/data/articles.json/' would replace /data, which the archive writes itself",
        ),
        (
            "/tags/china/feed.xml/",
            "alias '/tags/china/feed.xml/' has a folder whose name looks like a file (a dot in it)",
        ),
    ],
)
def test_aliases_cannot_replace_files_the_archive_writes(
    alias: str, message: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content(**{"a-text": ARTICLE.replace("authors:", f"aliases: ['{alias}']\nauthors:")})
    assert errors_of(write_tree, files, monkeypatch) == [
        f"{A}:5: error: {message} (choose another old URL or remove it)"
    ]


def test_an_alias_spelled_as_a_file_still_collides_with_its_page(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content(
        other=ARTICLE.replace("authors:", "aliases: [/articles/a-text/index.html]\nauthors:")
    )
    files[A] = ARTICLE
    errors = errors_of(write_tree, files, monkeypatch)
    assert errors == [
        "content/articles/2023/other.md:5: error: URL /articles/a-text/index.html is already claimed by "
        "content/articles/2023/a-text.md:1 (change the slug or the alias of one of them)"
    ]


def test_a_chain_translator_needs_letters(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    chain = "chain:\n  - {language: zh}\n  - {language: en, translators: ['???']}\nauthors:"
    files = minimal_content(**{"a-text": ARTICLE.replace("authors:", chain)})
    assert errors_of(write_tree, files, monkeypatch) == [
        f"{A}:7: error: '???' has no letters or digits to name a page by"
    ]


def test_removed_lines_may_start_with_todo(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(
        minimal_content(**{"a-text": ARTICLE.replace("authors:", "removed: ['TODO list: vote']\nauthors:")})
    )
    monkeypatch.chdir(root)
    (article,) = read_content(Path("content")).articles
    assert article.removed == ("TODO list: vote",)


def test_every_bundled_text_reads_the_same_through_python_frontmatter() -> None:
    """python-frontmatter is the documented way for a curator's script to read a text: it finds
    the fields the build reads, with the same values, and the same text."""
    import frontmatter

    content = read_content(ROOT / "content")
    assert content.articles
    for article in content.articles:
        post = frontmatter.load(ROOT / article.path)
        assert list(post.metadata) == list(article.lines), article.path
        assert post["title"] == article.title
        assert str(post["date"]) == article.date.isoformat()
        assert post.get("language", content.config.language) == article.language
        assert post.get("translators", []) == list(article.translators)
        editorial = "".join(f"<!-- editorial: {e.heading} -->\n{e.body}" for e in article.editorial)
        assert "".join(post.content.split()) == "".join((article.body + editorial).split())


@pytest.mark.parametrize(
    ("text", "front", "body", "body_line"),
    [
        ("---\ntitle: A\n---\nBody\n", "title: A\n", "Body\n", 4),
        ("---  \r\ntitle: A\r\n---\r\n\r\n\r\nBody", "title: A\r\n", "\r\n\r\nBody", 4),
        ("---\n\ntitle: A\n---\n\n\nBody", "\ntitle: A\n", "\n\nBody", 5),
        ("---\n---\n", "", "", 3),
        ("---\ntitle: A\n---", "title: A\n", "", 4),
    ],
)
def test_front_matter_splits_keep_the_body_byte_for_byte(
    text: str, front: str, body: str, body_line: int
) -> None:
    from archive.content.reader import split_front_matter
    from archive.content.schema import FieldReader

    reader = FieldReader("a.md", 2)
    assert split_front_matter(text, reader) == (front, body, body_line)
    assert not reader.diagnostics


@pytest.mark.parametrize(
    ("text", "message"),
    [("----\ntitle: A\n----\nBody", "no front matter"), ("---\ntitle: A\n----\nBody", "not closed")],
)
def test_only_a_line_of_three_dashes_fences_front_matter(text: str, message: str) -> None:
    from archive.content.reader import split_front_matter
    from archive.content.schema import FieldReader

    reader = FieldReader("a.md", 2)
    assert split_front_matter(text, reader) is None
    assert message in reader.diagnostics[0].message


TRANSLATED = ARTICLE.replace(
    "authors: [Xi Jinping]\n", "authors: [Xi Jinping]\nlanguage: en\noriginal_language: zh\n"
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("translation: mashine\n", "'translation' is unknown"),
        ("translation: machine\nreviewed: maybe\n", "'reviewed' must be true or false"),
        (
            "translation: human\nchain:\n  - {language: zh}\n  - {language: en, translation: machine}\n",
            "'translation' is human, but the chain's last step says machine",
        ),
        ("chain:\n  - {language: zh, translation: official}\n  - {language: en}\n", "the chain's first step"),
    ],
)
def test_how_a_translation_was_made_is_checked(
    fields: str, expected: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content()
    files[A] = TRANSLATED.replace("---\n\n", fields + "---\n\n")
    errors = errors_of(write_tree, files, monkeypatch)
    assert len(errors) == 1
    where, message = errors[0].split(": error: ")
    assert where.startswith(A + ":") and int(where.rsplit(":", 1)[1]) >= 7
    if expected == "'translation' is unknown":
        assert (
            message
            == "unknown translation 'mashine' (did you mean 'machine'? it is one of official, human, machine, unknown)"
        )
    else:
        assert expected in message


def test_an_original_says_nothing_of_how_it_was_translated(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content()
    files[A] = ARTICLE.replace(
        "authors: [Xi Jinping]\n", "authors: [Xi Jinping]\ntranslation: human\nreviewed: true\n"
    )
    assert errors_of(write_tree, files, monkeypatch) == [
        f"{A}:6: error: 'translation' is given, but the text is not a translation (set original_language"
        " to the language it was translated from, or remove the field)",
        f"{A}:7: error: 'reviewed' is given, but the text is not a translation (set original_language"
        " to the language it was translated from, or remove the field)",
    ]


@pytest.mark.parametrize(
    ("fields", "made"),
    [
        ("", "unknown"),
        ("translation: official\n", "official"),
        ("chain:\n  - {language: zh}\n  - {language: en, translation: machine}\n", "machine"),
        ("chain:\n  - {language: zh}\n  - {language: ru, translation: human}\n", "unknown"),
    ],
)
def test_a_translation_takes_how_it_was_made_from_its_field_or_its_last_step(
    fields: str, made: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content()
    files[A] = TRANSLATED.replace("---\n\n", fields + "---\n\n")
    root = write_tree(files)
    monkeypatch.chdir(root)
    (article,) = read_content(Path("content")).articles
    assert (article.translation, article.reviewed) == (made, False)


def test_the_bundled_texts_say_how_they_were_translated() -> None:
    articles = {a.slug: a for a in read_content(ROOT / "content").articles}
    assert articles["xi-2023-op-ed"].translation == "machine"  # from its chain's English step
    assert articles["xi-2023-op-ed"].chain[-1].translation == "machine"
    assert articles["persia-1906-farman-en-browne"].translation == "human"
    assert articles["putin-2023-future-bound-partnership-en"].translation == "official"
    assert articles["persia-1906-farman-fa"].translation is None


@pytest.mark.parametrize(
    ("written", "earliest", "edtf"),
    [
        ("1888", "1888-01-01", "1888"),
        ('"1913-03"', "1913-03-01", "1913-03"),
        ("1847~", "1847-01-01", "1847~"),
    ],
)
def test_a_date_can_be_a_year_a_month_a_span_or_circa(
    written: str, earliest: str, edtf: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content()
    files[A] = ARTICLE.replace("date: 2023-03-20", f"date: {written}").replace(
        "---\n\n", "chain:\n  - {language: en, date: 1917-10/1917-11}\n---\n\n"
    )
    root = write_tree(files)
    monkeypatch.chdir(root)
    (article,) = read_content(Path("content")).articles
    assert article.date == datetime.date.fromisoformat(earliest)
    assert article.written_date is not None and article.written_date.edtf == edtf
    assert article.chain[0].written_date is not None and article.chain[0].date == datetime.date(1917, 10, 1)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("c. 1847", "'date': 'c. 1847' is not a date (write 1847~ (circa))"),
        ("March 1913", "'date': 'March 1913' is not a date (write 1913-03)"),
        ("1913-13", "'date': '1913-13' has no month 13 (write YYYY-MM-DD, or YYYY-MM, YYYY, 1847~"),
    ],
)
def test_a_date_not_understood_says_how_to_write_it(
    written: str, expected: str, write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_content()
    files[A] = ARTICLE.replace("date: 2023-03-20", f"date: {written}")
    (error,) = errors_of(write_tree, files, monkeypatch)
    assert error.startswith(f"{A}:3: error: {expected}")
