"""The Jinja environment the pages are rendered in: Jinja's own, with the costs that show on a
site of many thousands of pages taken out, its compiled templates kept between builds, and
static checks of what its templates read."""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    Undefined,
    meta,
    nodes,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from archive.base import urls
from archive.base.dates import machine_date
from archive.base.files import keep_alone
from archive.base.interface import Interface, english
from archive.base.records import digest, translation_name
from archive.base.version import code_version
from archive.site.model import Text

# What a template reads of the site: attribute paths from `site` (("config", "title")), or
# None where the check cannot tell, which stands for the whole site.
SiteReads = frozenset[tuple[str, ...]] | None
ARGUMENT = ""  # in rendering_globals: the global renders the template its first argument names


def plain_escape() -> Callable[[str], str] | None:
    """markupsafe 3's C function behind markupsafe.escape, which returns a str; None with
    another markupsafe (the compiler is then left as it is)."""
    try:
        from markupsafe import _speedups
    except ImportError:
        return None
    found = getattr(_speedups, "_escape_inner", None)
    return found if callable(found) else None


ESCAPE_TEXT = plain_escape()


def escape_output(value: object) -> str:
    """What autoescaping prints for {{ value }}: the text markupsafe.escape gives, as a plain str.

    markupsafe.escape makes a Markup of every value printed (0.4 µs, a hundred times a page)
    that Jinja only joins into the page, or into a macro's result, which it marks safe itself.
    """
    if ESCAPE_TEXT is None:
        return str(escape(value))
    if type(value) is str:
        return ESCAPE_TEXT(value)
    html = getattr(value, "__html__", None)
    if html is None:
        return ESCAPE_TEXT(str(value))
    shown = html()
    return shown if isinstance(shown, str) else str(shown)


class ArchiveCodeGenerator(CodeGenerator):
    """Jinja's compiler, writing escape_output where autoescaping prints a value, and reading
    attributes with Python's getattr first."""

    attribute_reads = 0  # in the template so far: each has names of its own for what it holds

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if ESCAPE_TEXT is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_output(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """`a.b` as Python's getattr(a, "b"), and only where a has no attribute b as Jinja's
        environment.getattr (an item b, or undefined): the same value, without a call of a
        Python function for each of the hundred attributes a page reads."""
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.attribute_reads += 1
        owner, value = f"_attribute_of_{self.attribute_reads}", f"_attribute_{self.attribute_reads}"
        self.write(f"({value} if ({value} := getattr(({owner} := ")
        self.visit(node.node, frame)
        self.write(
            f"), {node.attr!r}, missing)) is not missing else environment.getattr({owner}, {node.attr!r}))"
        )


class ArchiveEnvironment(Environment):
    """Jinja's environment, compiled by ArchiveCodeGenerator, and with each template's globals
    in one plain dict rather than a ChainMap over the environment's, which Jinja walks key by
    key on every render and every macro import (10 to 20 µs a page). Every global is set
    before any template loads, so there is nothing for a ChainMap to follow."""

    code_generator_class = ArchiveCodeGenerator
    escape_output = staticmethod(escape_output)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interface: Interface | None = None  # set before any template loads: see _parse
        # What the static checks below found, for this environment's templates (one build).
        self.plain_prints: dict[tuple[str, str, str], bool] = {}
        self.reach: dict[str, SiteReads] = {}
        self.trees: dict[str, nodes.Template | None] = {}
        # Globals that render a template of their own: its name, or ARGUMENT (their first).
        self.rendering_globals: dict[str, str] = {}

    def recall_checks(self, path: Path) -> None:
        """Take up what the static checks found for the same templates and code, kept in path
        by an earlier build (parsing every template takes a tenth of a second)."""
        try:
            reach, plain_prints = pickle.loads(path.read_bytes())
        except Exception:
            return
        if isinstance(reach, dict) and isinstance(plain_prints, dict):
            self.reach.update(reach)
            self.plain_prints.update(plain_prints)

    def keep_checks(self, path: Path) -> None:
        """Keep what the static checks found in path, for the next build (see recall_checks);
        checks of other templates or code kept beside it are dropped."""
        facts = pickle.dumps((self.reach, self.plain_prints), pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            if path.is_file() and path.read_bytes() == facts:
                return
        keep_alone(path, facts, "checks-*.pickle")

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """A template's tree, with each message of the interface written in (see TranslationsFolded)."""
        tree = super()._parse(source, name, filename)
        if self.interface is None:
            return tree
        folded = TranslationsFolded(self.interface).visit(tree)
        assert isinstance(folded, nodes.Template)
        return folded


class TranslationsFolded(NodeTransformer):
    """`_("Works")` and `{% trans %}...{% endtrans %}` as the catalog translates them, once, when
    the template is compiled: a page of eighty messages would otherwise make two hundred calls
    through Jinja's context for them (a third of the time it takes to render). A message with
    values, `_("By %(names)s", names=...)`, becomes its translation % the values, each escaped
    (a Markup, such as a macro's output, as it is), as the i18n extension's own functions do.
    A message counted (ngettext), or named at run time, is left to those functions. Compiled
    templates are kept by the catalog's digest (compiled_templates): a changed translation is
    compiled again."""

    def __init__(self, interface: Interface) -> None:
        self.translate = interface.gettext

    def visit_Call(self, call: nodes.Call) -> nodes.Node:
        node = self.generic_visit(call)
        if not (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext")
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        line = node.lineno
        translated = nodes.Const(self.translate(node.args[0].value), lineno=line)
        escaped = [nodes.Filter(k.value, "escape", [], [], None, None, lineno=line) for k in node.kwargs]
        pairs = [nodes.Pair(nodes.Const(k.key), value) for k, value in zip(node.kwargs, escaped, strict=True)]
        filled = nodes.Mod(translated, nodes.Dict(pairs, lineno=line), lineno=line)
        return nodes.MarkSafe(filled, lineno=line)


# Where a template's output goes into a value (a macro's result, a variable, a filter's input,
# a caller's result, a recursive loop's result) rather than straight into the page.
CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)


def prints_plainly(env: Environment, template: str, variable: str, attribute: str) -> bool:
    """Whether `template`, with every template it extends, includes or imports, prints
    `variable.attribute` only as it is, straight into the page (`{{ page.body }}`), and reads
    nothing else of `variable` than its other attributes.

    Then the value reaches the page unchanged, whatever it is, and can be set in after
    rendering. Anything that could take it in some other way answers False: a filter or a test
    on it, a macro or a variable holding it, a block read back with self or super, a template
    named only at run time.
    """
    known = env.plain_prints if isinstance(env, ArchiveEnvironment) else {}
    key = (template, variable, attribute)
    if key not in known:
        known[key] = all_print_plainly(env, template, variable, attribute)
    return known[key]


def all_print_plainly(env: Environment, template: str, variable: str, attribute: str) -> bool:
    if env.loader is None:
        return False
    names, seen = [template], set()
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = parsed(env, name)
        if tree is None:
            return False
        referenced = list(meta.find_referenced_templates(tree))
        if None in referenced or not uses_plainly(tree, variable, attribute):
            return False
        names += [found for found in referenced if found is not None]
    return True


def uses_plainly(
    node: nodes.Node, variable: str, attribute: str, parent: nodes.Node | None = None, captured: bool = False
) -> bool:
    """The rule of prints_plainly, for one template's tree."""
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == variable:
        return node.attr != attribute or (isinstance(parent, nodes.Output) and not captured)
    if isinstance(node, nodes.Name):
        return node.name not in (variable, "self", "super")
    if isinstance(node, nodes.Include) and captured:
        return False
    if isinstance(node, (nodes.Import, nodes.FromImport)) and node.with_context:
        return False  # the imported template's own output is rendered into a value
    captured = captured or isinstance(node, CAPTURING) or (isinstance(node, nodes.For) and node.recursive)
    return all(uses_plainly(child, variable, attribute, node, captured) for child in node.iter_child_nodes())


def site_reads(env: Environment, template: str) -> SiteReads:
    """Every attribute path of `site` that `template` can read, with every template it extends,
    includes or imports, and those that its globals render (the masthead, a text's entry).

    A path ends where the template does something else than read an attribute by its name
    (a call, a subscript, a filter): the value there is what counts. None when the template
    uses `site` in any other way (hands it to a macro, keeps it in a variable), or names a
    template only at run time: then it may read anything.
    """
    known = env.reach if isinstance(env, ArchiveEnvironment) else {}
    if template not in known:
        known[template] = find_site_reads(env, template)
    return known[template]


def find_site_reads(env: Environment, template: str) -> SiteReads:
    reads: set[tuple[str, ...]] = set()
    for tree in reachable_trees(env, template):
        if tree is None:
            return None
        found = reads_of(tree, "site")
        if found is None:
            return None
        reads |= found
    return frozenset(reads)


def parsed(env: Environment, name: str) -> nodes.Template | None:
    """The syntax tree of a template, parsed once per environment; None if it cannot be read."""
    trees = env.trees if isinstance(env, ArchiveEnvironment) else {}
    if name not in trees:
        try:
            if env.loader is None:
                raise TemplateError("no loader")
            source, filename, _ = env.loader.get_source(env, name)
            trees[name] = env.parse(source, name, filename)
        except (TemplateError, OSError):
            trees[name] = None
    return trees[name]


def reachable_trees(env: Environment, template: str) -> Iterator[nodes.Template | None]:
    """The syntax tree of template and of every template it can reach; None for one that cannot
    be told (named at run time, or unreadable)."""
    rendering = env.rendering_globals if isinstance(env, ArchiveEnvironment) else {}
    names, seen = [template], set()
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = parsed(env, name)
        if tree is None:
            yield None
            return
        referenced = [*meta.find_referenced_templates(tree), *rendered_templates(tree, rendering)]
        if None in referenced:
            yield None
            return
        yield tree
        names += [found for found in referenced if found is not None]


def rendered_templates(tree: nodes.Template, rendering: Mapping[str, str]) -> Iterator[str | None]:
    """The templates that calls of rendering globals in tree render (None: named at run time)."""
    for call in tree.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name in rendering):
            continue
        named = rendering[call.node.name]
        if named != ARGUMENT:
            yield named
        elif call.args and isinstance(call.args[0], nodes.Const) and isinstance(call.args[0].value, str):
            yield call.args[0].value
        else:
            yield None


def reads_of(node: nodes.Node, variable: str) -> set[tuple[str, ...]] | None:
    """The attribute paths of variable read in node's tree; None if it is used otherwise."""
    path = attribute_path(node, variable)
    if path is not None:
        found = {path}
        for child in inner_nodes(node):
            more = reads_of(child, variable)
            if more is None:
                return None
            found |= more
        return found
    if isinstance(node, nodes.Name) and node.name == variable:
        return None  # the whole value: handed on, kept, printed, or the name is assigned anew
    found = set()
    for child in node.iter_child_nodes():
        more = reads_of(child, variable)
        if more is None:
            return None
        found |= more
    return found


def attribute_path(node: nodes.Node, variable: str) -> tuple[str, ...] | None:
    """('a', 'b') for `variable.a.b` (or `variable['a'].b`), else None."""
    steps: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            steps.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if not isinstance(node.arg.value, str):
                return None
            steps.append(node.arg.value)
            node = node.node
        else:
            break
    if steps and isinstance(node, nodes.Name) and node.name == variable and node.ctx == "load":
        return tuple(reversed(steps))
    return None


def inner_nodes(node: nodes.Node) -> Iterator[nodes.Node]:
    """The nodes inside an attribute path that are not part of it (a subscript's expression)."""
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getitem):
            yield node.arg
        node = node.node


def read_site_path(env: Environment, site: object, path: tuple[str, ...]) -> object:
    """The value a template finds at site.path, as Jinja looks it up; for a method, its owner
    (what it is called with comes from the page or the template, which keys cover already)."""
    value = site
    for step in path:
        found = env.getattr(value, step)
        if isinstance(found, Undefined):
            return ("no attribute", path)  # the page fails to render, whatever it is keyed by
        if callable(found) and not isinstance(found, type):
            return value
        value = found
    return value


def make_environment(
    templates_dir: Path,
    base_url: str,
    assets: Mapping[str, str],
    compiled: Path | None = None,
    ui: Interface | None = None,
) -> ArchiveEnvironment:
    """The one Jinja environment: autoescaping, StrictUndefined, the URL filters, the asset names,
    and the interface's words (Jinja's i18n extension: `_()`, `ngettext()`, `{% trans %}`) and
    formats (the filters human_date, number, language) in ui's language (English without one).

    With compiled, templates compiled by an earlier build are kept there (Jinja recompiles any
    whose source changed) instead of being compiled again on every build. Jinja's compiler
    folds a filter called on a constant (`{{ '/' | url }}`) into the compiled code, so they are
    kept by everything the filters and globals are made from: the base URL and the assets.
    """
    ui = ui or english()
    env = ArchiveEnvironment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: no need to stat each template on every page
        bytecode_cache=compiled_templates(
            compiled, digest(base_url, sorted(assets.items()), ui.language, ui.locale, ui.fingerprint)
        )
        if compiled
        else None,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's lines are one message
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.interface = ui
    prefix = urls.base_path(base_url)
    env.filters["url"] = lambda url: urls.href(url, prefix)
    env.filters["absolute"] = lambda url: urls.absolute(url, base_url)
    env.filters["external"] = urls.external
    env.filters["tag_url"] = urls.tag_url
    env.filters["human_date"] = ui.date
    env.filters["machine_date"] = machine_date
    env.filters["number"] = ui.number
    env.filters["bdi"] = isolated
    env.filters["language"] = ui.describe
    env.filters["translation_label"] = lambda kind: translation_name(kind, ui)
    env.globals["assets"] = dict(assets)
    env.globals["ui"] = ui
    env.globals["text_item"] = item = pass_context(ListEntries(env))
    env.globals["text_items"] = items_renderer(item)
    env.globals["once"] = once_renderer(env)
    env.rendering_globals.update(text_item=TEXT_ITEM, text_items=TEXT_ITEM, once=ARGUMENT)
    return env


TEXT_ITEM = "_text_item.html"


def isolated(value: object) -> Markup:
    """A name or title set into a sentence of the interface in a <bdi>, so that its own direction
    (English in an Arabic sentence, Persian in an English one) does not reorder the sentence."""
    return Markup("<bdi>%s</bdi>") % value


def once_renderer(env: Environment) -> Callable[[Context, str], Markup]:
    """once(template) for templates: a part that is the same on every page (the masthead, the
    footer), rendered on first use with the site and kept for as long as the environment."""
    made: dict[str, Markup] = {}

    @pass_context
    def once(context: Context, name: str) -> Markup:
        if name not in made:
            made[name] = Markup(env.get_template(name).render(site=context["site"]))
        return made[name]

    return once


EntryKey = tuple[str, str, int]  # a text's URL and stamp, and the heading level of its title


class ListEntries:
    """text_item(text, level) for templates: a text's entry in a list, rendered once per build.

    A text is listed on the pages of its tags, authors, translators, source, language and year;
    its entry is the same on each, so it is kept, for as long as the environment (one build).
    Processes rendering pages side by side hand on the entries they made (take_fresh, keep),
    for the processes that make the pages after them.
    """

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.made: dict[EntryKey, Markup] = {}
        self.fresh: list[EntryKey] = []

    def __call__(self, context: Context, text: Text, level: int) -> Markup:
        key = (text.url, text.stamp, level)
        entry = self.made.get(key)
        if entry is None:
            template = self.env.get_template(TEXT_ITEM)
            entry = self.made[key] = Markup(template.render(site=context["site"], text=text, level=level))
            self.fresh.append(key)
        return entry

    def take_fresh(self) -> list[tuple[EntryKey, Markup]]:
        """The entries made since the last call."""
        fresh = [(key, self.made[key]) for key in self.fresh]
        self.fresh.clear()
        return fresh

    def keep(self, entries: list[tuple[EntryKey, Markup]]) -> None:
        self.made.update(entries)


def list_entries(env: Environment) -> ListEntries:
    entries = env.globals["text_item"]
    assert isinstance(entries, ListEntries)
    return entries


def items_renderer(
    item: Callable[[Context, Text, int], Markup],
) -> Callable[[Context, Sequence[Text], int], Markup]:
    """text_items(texts, level) for templates: the entries of several texts, in one call."""

    @pass_context
    def text_items(context: Context, texts: Sequence[Text], level: int) -> Markup:
        return Markup("".join([item(context, text, level) for text in texts]))

    return text_items


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, skipped where its folder cannot be written."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates(folder: Path, folded: str = "") -> CompiledTemplates | None:
    """The compiled templates kept in folder, as compiled by this code (a compiled template
    shows how the compiler of its day wrote it) with what folded names (the values the
    compiler may fold in); those of other versions of the code are dropped."""
    code = f"compiled-{code_version()[:16]}-"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".cache") and not name.startswith(code):
                (folder / name).unlink(missing_ok=True)
    except OSError:
        return None
    return CompiledTemplates(str(folder), f"{code}{folded[:16]}-%s.cache")
