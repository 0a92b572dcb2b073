"""The Jinja environment the pages are rendered in: Jinja's own, with the costs that show on a
site of many thousands of pages taken out, and its compiled templates kept between builds."""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, TemplateError, meta, nodes
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from markupsafe import escape

from archive.base.version import code_version


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

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


# Where a template's output goes into a value (a macro's result, a variable, a filter's input,
# a caller's result, a recursive loop's result) rather than straight into the page.
CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)
PLAIN_PRINTS: weakref.WeakKeyDictionary[Environment, dict[tuple[str, str, str], bool]] = (
    weakref.WeakKeyDictionary()
)


def prints_plainly(env: Environment, template: str, variable: str, attribute: str) -> bool:
    """Whether `template`, with every template it extends, includes or imports, prints
    `variable.attribute` only as it is, straight into the page (`{{ page.body }}`), and reads
    nothing else of `variable` than its other attributes.

    Then the value reaches the page unchanged, whatever it is, and can be set in after
    rendering. Anything that could take it in some other way answers False: a filter or a test
    on it, a macro or a variable holding it, a block read back with self or super, a template
    named only at run time.
    """
    # Asked for every page: setdefault would make a dict and a weakref each time.
    known = PLAIN_PRINTS.get(env)
    if known is None:
        known = PLAIN_PRINTS[env] = {}
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
        try:
            source, filename, _ = env.loader.get_source(env, name)
            tree = env.parse(source, name, filename)
        except (TemplateError, OSError):
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


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, skipped where its folder cannot be written."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates(folder: Path) -> CompiledTemplates | None:
    """The compiled templates kept in folder, as compiled by this code (a compiled template
    shows how the compiler of its day wrote it): those of other versions are dropped."""
    prefix = f"compiled-{code_version()[:16]}-"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".cache") and not name.startswith(prefix):
                (folder / name).unlink(missing_ok=True)
    except OSError:
        return None
    return CompiledTemplates(str(folder), prefix + "%s.cache")
