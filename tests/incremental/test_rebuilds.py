"""A cached build equals a cold one, whatever the archive went through before.

A state machine applies random changes to a small archive (bodies, every kind of front-matter
field, texts added, deleted and moved, sources.yaml and site.yaml, the interface's language and
a catalog's translations, templates that read
site-wide data, the base URL, search and relative URLs on and off, files touched or dated back, a file broken and
mended), and after each step builds it twice: with the cache of the steps before, and from
scratch. The two folders must hold the same files, byte for byte, but for the files Pagefind
names or fills differently on every run.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import TEMPLATES
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

import archive.build.pipeline
import archive.incremental.texts
from archive.base.diagnostics import ContentError
from archive.build.pipeline import BuildOptions, build

SOURCES = {
    "gazette": {"name": "The Gazette", "language": "ru"},
    "herald": {"name": "The Herald", "language": "en"},
}
WORDS = st.sampled_from(["peace", "treaty", "friendship", "cooperation", "dialogue", "история", "合作"])
TITLES = st.lists(WORDS, min_size=1, max_size=3).map(" ".join).map(str.title)
NAMES = st.sampled_from(["Xi Jinping", "Vladimir Putin", "V. Sergeev", "Anna Lee", "Li Wei"])
TAGS = st.lists(
    st.sampled_from(["china", "russia", "diplomacy", "trade", "history"]), max_size=3, unique=True
)
DATES = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2024, 12, 31))
FIELDS = {
    "title": TITLES,
    "date": st.one_of(DATES.map(str), st.sampled_from(["1913-03", "1888", "1847~", "1917-10/1917-11"])),
    "source": st.sampled_from(sorted(SOURCES)),
    "authors": st.lists(NAMES, min_size=1, max_size=2, unique=True),
    "translators": st.lists(NAMES, max_size=2, unique=True),
    "tags": TAGS,
    "summary": st.one_of(st.none(), TITLES),
    "original_language": st.sampled_from([None, "zh", "ru", "bg"]),
    "work": st.sampled_from([None, "shared-work", "other-work"]),
    "excerpt": st.booleans(),
    "draft": st.booleans(),
    "license": st.sampled_from(["unknown", "CC BY 4.0"]),
    "language": st.sampled_from(["en", "ru", "zh"]),
    "aliases": st.sampled_from([[], ["/old/one/"], ["/old/two/"]]),
    "notes": st.one_of(st.none(), TITLES),
}
# Templates and what may be put in them: parts that read site-wide data of every kind.
SNIPPETS = [
    "<p>{{ site.texts|length }} texts</p>",
    "<p>{{ site.texts[0].article.title }}</p>",
    "<p>{{ site.tags.terms|map(attribute='name')|join(', ') }}</p>",
    "<p>{{ site.sources.terms[0].name }}</p>",
    "<p>{{ site.config.description }}</p>",
    "<p>{% for work in site.works %}{{ work.title }} {% endfor %}</p>",
    "<p>{{ site.authors.terms|length }} authors</p>",
    "<p>{{ site.translations.terms|map(attribute='name')|join(', ') }}</p>",
    "<p>edited</p>",
]
TEMPLATE_FILES = [
    "_footer.html",
    "_text_item.html",
    "_masthead.html",
    "base.html",
    "term.html",
    "article.html",
]
BROKEN = "---\ntitle: [unclosed\n---\nText.\n"


def write_article(path: Path, fields: dict[str, object], body: list[str]) -> None:
    lines = ["---"]
    for name, value in fields.items():
        if value is not None and value != []:  # JSON is YAML
            lines.append(
                f"{name}: {value}" if name == "date" else f"{name}: {json.dumps(value, ensure_ascii=False)}"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*lines, "---", "", *("\n".join(body).split("\n"))]) + "\n", encoding="utf-8")


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file and its bytes; of Pagefind's files that differ run to run, only the names' count."""
    found: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        unstable = "/filter/" in name or name.endswith((".pf_meta", "pagefind-entry.json"))
        if unstable:
            found[f"{name.rsplit('/', 1)[0]}/(unstable)"] = b"%d" % (
                int(found.get(f"{name.rsplit('/', 1)[0]}/(unstable)", b"0")) + 1
            )
        else:
            found[name] = path.read_bytes()
    return found


class Rebuilds(RuleBasedStateMachine):
    """An archive changed step by step, built with its cache and from scratch after each step."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="rebuilds-"))
        self.content = self.root / "content"
        self.templates = self.root / "templates"
        shutil.copytree(TEMPLATES, self.templates)
        self.texts: dict[str, tuple[dict[str, object], list[str]]] = {}  # file -> fields, body
        self.broken: set[str] = set()
        self.site = {
            "title": "Test Archive",
            "language": "en",
            "base_url": "https://example.org/",
            "per_page": 2,
        }
        self.sources = {key: dict(value, description="A paper.") for key, value in SOURCES.items()}
        self.base_url: str | None = None
        self.search = False
        self.relative_urls = False
        self.jobs = 1
        self.number = 0
        self.write_settings()
        for _ in range(4):
            self.new_text("A First Title", ["The first paragraph.", "The second paragraph."])

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # Writing the archive

    def write_settings(self) -> None:
        self.content.mkdir(parents=True, exist_ok=True)
        site = "".join(f"{name}: {json.dumps(value)}\n" for name, value in self.site.items())
        (self.content / "site.yaml").write_text(site, encoding="utf-8")
        sources = "".join(
            f"{key}:\n" + "".join(f"  {name}: {json.dumps(value)}\n" for name, value in fields.items())
            for key, fields in self.sources.items()
        )
        (self.content / "sources.yaml").write_text(sources, encoding="utf-8")

    def new_text(self, title: str, body: list[str]) -> str:
        self.number += 1
        name = f"articles/{2000 + self.number % 3}/text-{self.number}.md"
        fields: dict[str, object] = {
            "title": title,
            "date": f"2020-01-{1 + self.number % 28:02d}",
            "source": "gazette",
            "authors": ["Xi Jinping"],
            "tags": ["china"],
        }
        self.texts[name] = (fields, body)
        self.write_text(name)
        return name

    def write_text(self, name: str) -> None:
        fields, body = self.texts[name]
        write_article(self.content / name, fields, body)
        self.broken.discard(name)

    def pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.texts)))

    # Building it

    def build_both(self) -> None:
        common = {
            "templates_dir": self.templates,
            "base_url": self.base_url,
            "relative_urls": self.relative_urls,
            "search": self.search,
        }
        cached = BuildOptions(self.content, self.root / "site", jobs=self.jobs, **common)  # type: ignore[arg-type]
        cold = BuildOptions(self.content, self.root / "cold", cache=False, jobs=1, **common)  # type: ignore[arg-type]
        try:
            build(cold)
        except ContentError as cold_error:
            with pytest.raises(ContentError) as cached_error:
                build(cached)
            assert cached_error.value.diagnostics == cold_error.diagnostics
            return
        build(cached)
        assert files_of(self.root / "site") == files_of(self.root / "cold")
        shutil.rmtree(self.root / "cold")

    @invariant()
    def cached_build_equals_a_cold_one(self) -> None:
        self.build_both()

    # The changes

    @initialize(
        parts=st.lists(st.tuples(st.sampled_from(TEMPLATE_FILES), st.sampled_from(SNIPPETS)), max_size=3)
    )
    def templates_that_read_the_site(self, parts: list[tuple[str, str]]) -> None:
        """Most steps then change something a page shows through `site` alone."""
        for template, snippet in parts:
            self.change_template(template, snippet)

    @rule(data=st.data(), paragraph=TITLES)
    def edit_body(self, data: st.DataObject, paragraph: str) -> None:
        name = self.pick(data)
        fields, body = self.texts[name]
        self.texts[name] = (fields, [*body[:2], paragraph + "."])
        self.write_text(name)

    @rule(data=st.data(), field=st.sampled_from(sorted(FIELDS)))
    def change_field(self, data: st.DataObject, field: str) -> None:
        name = self.pick(data)
        fields, body = self.texts[name]
        value = data.draw(FIELDS[field])
        if field == "aliases" and any(other[0].get("aliases") == value for other in self.texts.values()):
            value = []  # two texts cannot claim one old URL
        self.texts[name] = ({**fields, field: value}, body)
        self.write_text(name)

    @rule(title=TITLES)
    def add_text(self, title: str) -> None:
        self.new_text(title, ["A paragraph of a new text."])

    @precondition(lambda self: len(self.texts) > 1)
    @rule(data=st.data())
    def delete_text(self, data: st.DataObject) -> None:
        name = self.pick(data)
        (self.content / name).unlink()
        del self.texts[name]
        self.broken.discard(name)

    @rule(data=st.data(), year=st.integers(2000, 2003))
    def move_text(self, data: st.DataObject, year: int) -> None:
        name = self.pick(data)
        self.number += 1
        moved = f"articles/{year}/moved-{self.number}.md"
        (self.content / moved).parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.content / name, self.content / moved)
        self.texts[moved] = self.texts.pop(name)
        if name in self.broken:
            self.broken.discard(name)
            self.broken.add(moved)

    @rule(key=st.sampled_from(sorted(SOURCES)), name=TITLES)
    def rename_source(self, key: str, name: str) -> None:
        self.sources[key]["name"] = name
        self.write_settings()

    @rule(field=st.sampled_from(["title", "description", "maintainer", "per_page"]), value=TITLES)
    def change_site(self, field: str, value: str) -> None:
        self.site[field] = len(value) % 3 + 1 if field == "per_page" else value
        self.write_settings()

    @rule(language=st.sampled_from(["en", "ru", "ar", "sw"]))
    def change_interface_language(self, language: str) -> None:
        """Another interface (Swahili has no catalog: English, with a warning)."""
        self.site["language"] = language
        self.write_settings()

    @rule(
        locale=st.sampled_from(["en", "ru", "ar"]),
        message=st.sampled_from(["Tags", "First published", "Also in:"]),
        words=TITLES,
    )
    def change_a_translation(self, locale: str, message: str, words: str) -> None:
        """A catalog's translation of one message (a sentence of the masthead, of the texts'
        pages, of list entries) changed."""
        path = self.templates / "locale" / locale / "LC_MESSAGES" / "messages.po"
        lines = path.read_text(encoding="utf-8").splitlines()
        at = lines.index(f"msgid {json.dumps(message, ensure_ascii=False)}")
        lines[at + 1] = f"msgstr {json.dumps(words, ensure_ascii=False)}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @rule(template=st.sampled_from(TEMPLATE_FILES), snippet=st.sampled_from(SNIPPETS))
    def change_template(self, template: str, snippet: str) -> None:
        path = self.templates / template
        source = path.read_text(encoding="utf-8")
        if "{% block main %}" in source:
            source = source.replace("{% block main %}", "{% block main %}" + snippet, 1)
        elif "</footer>" in source or "</header>" in source:
            source = source.replace("</footer>", snippet + "</footer>").replace(
                "</header>", snippet + "</header>"
            )
        else:
            source = source.replace("</li>", snippet + "</li>")
        path.write_text(source, encoding="utf-8")

    @rule(base_url=st.sampled_from([None, "https://example.org/archive/", "http://localhost:9000/"]))
    def change_base_url(self, base_url: str | None) -> None:
        self.base_url = base_url

    @rule(search=st.booleans(), relative_urls=st.booleans(), jobs=st.sampled_from([1, 2]))
    def change_options(self, search: bool, relative_urls: bool, jobs: int) -> None:
        self.search, self.relative_urls, self.jobs = search, relative_urls, jobs

    @rule(data=st.data())
    def touch_without_change(self, data: st.DataObject) -> None:
        os.utime(self.content / self.pick(data))

    @rule(data=st.data(), paragraph=TITLES)
    def edit_and_date_back(self, data: st.DataObject, paragraph: str) -> None:
        name = self.pick(data)
        path = self.content / name
        before = path.stat()
        fields, body = self.texts[name]
        self.texts[name] = (fields, [paragraph + ".", *body[1:]])
        self.write_text(name)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns - 86_400 * 10**9))

    @rule(data=st.data())
    def break_a_file(self, data: st.DataObject) -> None:
        name = self.pick(data)
        (self.content / name).write_text(BROKEN, encoding="utf-8")
        self.broken.add(name)

    @precondition(lambda self: bool(self.broken))
    @rule()
    def mend_the_files(self) -> None:
        for name in sorted(self.broken):
            self.write_text(name)


@pytest.fixture
def trusting_file_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps come faster than the window in which a build trusts no file's time: without this,
    every text would be read again at every step and the cache of texts never tried."""
    monkeypatch.setattr(archive.incremental.texts, "RACY_NS", 0)
    monkeypatch.setattr(archive.build.pipeline, "RACY_NS", 0)


def test_a_cached_build_equals_a_cold_one_after_any_changes(trusting_file_times: None) -> None:
    examples = int(os.environ.get("REBUILD_EXAMPLES", "12"))  # more: a longer search for a stale page
    run_state_machine_as_test(
        Rebuilds,
        settings=settings(
            max_examples=examples,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
