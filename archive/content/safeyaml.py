"""Safe YAML reading that keeps line numbers and refuses anchors, aliases and object tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
ALLOWED_TAGS |= {CORE + "seq", CORE + "map"}
UNCLOSED = {
    "while scanning a quoted scalar": ("the quoted value that starts on this line", "add the closing quote"),
    "while parsing a flow sequence": ("the '[' on this line", "add the closing ']'"),
    "while parsing a flow mapping": ("the '{' on this line", "add the closing '}'"),
}


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML text that cannot be read: a message, a hint, and a 0-based line."""

    message: str
    hint: str
    line: int


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses aliases, anchors and tags beyond the core schema."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            raise YamlProblem(
                f"YAML alias '*{event.anchor}' is not allowed",
                "write the value out in full; anchors and aliases are refused in content",
                mark_line(event),
            )
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            check_event(event)
        return super().compose_node(parent, index)


def mark_line(event: Any) -> int:
    """The 0-based line where an event starts."""
    mark = event.start_mark
    return int(mark.line) if mark is not None else 0


def check_event(event: ScalarEvent | CollectionStartEvent) -> None:
    """Refuse anchors and explicit tags that would build objects."""
    if event.anchor is not None:
        raise YamlProblem(
            f"YAML anchor '&{event.anchor}' is not allowed",
            "write the value out in full; anchors and aliases are refused in content",
            mark_line(event),
        )
    tag = event.tag
    if tag is not None and tag != "!" and tag not in ALLOWED_TAGS:
        raise YamlProblem(
            f"YAML tag '{tag.replace(CORE, '!!')}' is not allowed",
            "content may hold only plain text, numbers, dates, lists and mappings",
            mark_line(event),
        )


def compose(text: str) -> Node | None:
    """Parse one YAML document into nodes; raise YamlProblem for anything unreadable or unsafe."""
    fast = compose_fast(text)
    if fast is None or isinstance(fast, Node):
        return fast
    return compose_strictly(text)


# libyaml gives the same nodes as the Python parser for a valid document, several times faster;
# anything it finds wrong is read again by the Python parser, whose messages and lines are the
# ones the archive reports.
CParser: Any = getattr(yaml, "CSafeLoader", None)
NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
# libyaml 0.2.6 and later refuse nesting deeper than 1,000 levels: only there may a whole
# document be composed in C, whose recursion no Python limit stops.
LIBYAML = getattr(getattr(yaml, "_yaml", None), "get_version", lambda: (0, 0, 0))()


def compose_fast(text: str) -> Node | bool | None:
    """The document's nodes through libyaml, or False when it is absent or finds a problem."""
    if CParser is None or NON_PRINTABLE.search(text):
        return False
    if "&" in text or "!" in text or LIBYAML < (0, 2, 6):  # composed here, with the refusals
        return compose_events(text)
    # Without '&' there is no anchor (an alias is then an error, read again), without '!' no
    # tag: libyaml composes the whole document, its nesting bounded by libyaml itself.
    loader = CParser(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    except yaml.YAMLError:
        return False
    finally:
        loader.dispose()


def compose_events(text: str) -> Node | bool | None:
    """The document's nodes from libyaml's events, refusing anchors, aliases and tags as they come."""
    loader = CParser(text)
    try:
        loader.get_event()  # the stream's start
        if loader.check_event(StreamEndEvent):
            return None
        loader.get_event()  # the document's start
        node = compose_event_node(loader, None, None)
        loader.get_event()  # the document's end
        if not loader.check_event(StreamEndEvent):
            return False  # a second document: the Python parser says so
        return node
    except (yaml.YAMLError, YamlProblem, RecursionError):
        return False
    finally:
        loader.dispose()


def compose_event_node(loader: Any, parent: Node | None, index: Any) -> Node:
    """What yaml's Composer does, with the refusals of StrictLoader."""
    event: Any = loader.peek_event()
    if isinstance(event, AliasEvent):
        raise YamlProblem("alias", "", mark_line(event))
    check_event(event)
    loader.descend_resolver(parent, index)
    node: Node
    if isinstance(event, ScalarEvent):
        scalar: Any = loader.get_event()
        tag = scalar.tag
        if tag in (None, "!"):
            tag = loader.resolve(ScalarNode, scalar.value, scalar.implicit)
        node = ScalarNode(tag, scalar.value, scalar.start_mark, scalar.end_mark, style=scalar.style)
    elif isinstance(event, SequenceStartEvent):
        node = compose_sequence(loader, loader.get_event())
    else:
        node = compose_mapping(loader, loader.get_event())
    loader.ascend_resolver()
    return node


def compose_sequence(loader: Any, start: Any) -> SequenceNode:
    tag = start.tag if start.tag not in (None, "!") else loader.resolve(SequenceNode, None, start.implicit)
    node = SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
    while not loader.check_event(SequenceEndEvent):
        node.value.append(compose_event_node(loader, node, len(node.value)))
    node.end_mark = loader.get_event().end_mark
    return node


def compose_mapping(loader: Any, start: Any) -> MappingNode:
    tag = start.tag if start.tag not in (None, "!") else loader.resolve(MappingNode, None, start.implicit)
    node = MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
    while not loader.check_event(MappingEndEvent):
        key = compose_event_node(loader, node, None)
        value = compose_event_node(loader, node, key)
        node.value.append((key, value))
    node.end_mark = loader.get_event().end_mark
    return node


def compose_strictly(text: str) -> Node | None:
    """Parse with the pure-Python StrictLoader, whose errors carry the archive's messages."""
    try:
        loader = StrictLoader(text)
    except yaml.reader.ReaderError as error:
        raise unprintable_problem(text, error) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise syntax_problem(error) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML error: {error}", "", 0) from None
    except RecursionError:
        raise YamlProblem(
            "YAML nesting too deep", "content needs only a few levels of lists and mappings", 0
        ) from None
    finally:
        loader.dispose()


def unprintable_problem(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    """YAML refuses control characters anywhere in its text, even inside quotes."""
    return YamlProblem(
        f"a control character (U+{error.character:04X}) is not allowed in YAML",
        "delete it; it is invisible in most editors",
        text[: error.position].count("\n"),
    )


def syntax_problem(error: yaml.MarkedYAMLError) -> YamlProblem:
    """Describe a syntax error at the line where the mistake is, not where YAML noticed it."""
    problem = error.problem or error.context or "unreadable YAML"
    hint = "check the indentation, colons and quotes on this line and the one before"
    opened = UNCLOSED.get(error.context or "")
    start, found = error.context_mark, error.problem_mark
    at_end = "<stream end>" in problem or "end of stream" in problem
    if opened and start is not None and (at_end or found is None or found.line != start.line):
        # YAML notices an unclosed quote or bracket only later, at the next token or the end.
        return YamlProblem(f"YAML syntax error: {opened[0]} is not closed", opened[1], start.line)
    mark = found or start
    return YamlProblem(f"YAML syntax error: {problem}", hint, mark.line if mark else 0)


def construct_scalar(node: ScalarNode) -> Any:
    """The Python value YAML gives a scalar (may raise ValueError for '2023-02-30')."""
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node, deep=True)


def type_name(node: Node) -> str:
    """Say in words what kind of YAML value a node holds."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    names = {
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "a true/false value",
        "null": "empty",
        "timestamp": "a date",
    }
    return names.get(node.tag.removeprefix(CORE), "text")
