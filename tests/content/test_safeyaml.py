"""Safe YAML: anchors, aliases and object tags are refused; lines are kept."""

from __future__ import annotations

import time

import pytest
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from archive.content import safeyaml
from archive.content.safeyaml import YamlProblem, compose


def test_lines_are_kept() -> None:
    node = compose("a: 1\nb: [x]\n")
    assert node is not None
    assert [k.start_mark.line for k, _ in node.value] == [0, 1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!python/name:os.system x", "YAML tag '!!python/name:os.system' is not allowed"),
        ("a: !custom x", "YAML tag '!custom' is not allowed"),
        ("a: &x 1\nb: *x", "YAML anchor '&x' is not allowed"),
        ("a: [1, 2", "YAML syntax error: the '[' on this line is not closed"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused(text: str, message: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        compose(text)
    assert caught.value.message == message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    started = time.perf_counter()
    with pytest.raises(YamlProblem):
        compose(bomb)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            'title: "A Text\ndate: 2023-03-20\nsource: x\n',
            1,
            "the quoted value that starts on this line is not closed",
        ),
        ("title: 'A Text\ndate: 2023-03-20\n", 1, "the quoted value that starts on this line is not closed"),
        ("title: x\nauthors: [a, b\ndate: 2023-03-20\n", 2, "the '[' on this line is not closed"),
        ("title: x\nchain:\n  - {language: zh\ndate: 2023-03-20\n", 3, "the '{' on this line is not closed"),
        ("title: x\nimported: {file: a\n", 2, "the '{' on this line is not closed"),
        ("title: x\ndate: a: b\nsource: x\n", 2, "mapping values are not allowed here"),
        ("title: x\n\tdate: 2023\nsource: x\n", 2, "found character '\\t' that cannot start any token"),
        (
            "title: x\nauthors:\n  - a\n - b\nsource: x\n",
            4,
            "expected <block end>, but found '<block sequence start>'",
        ),
        ("title: x\n  date: y\nsource: x\n", 2, "mapping values are not allowed here"),
        ('title: x\ndate: "a" b\nsource: x\n', 2, "expected <block end>, but found '<scalar>'"),
        ("title: x\nnotes: |\n  a\n b\nsource: x\n", 4, "expected <block end>, but found '<scalar>'"),
        ("title: x\n- a\nsource: x\n", 2, "expected <block end>, but found '-'"),
    ],
)
def test_syntax_errors_point_at_the_offending_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        compose(text)
    assert (caught.value.line + 1, caught.value.message) == (line, f"YAML syntax error: {message}")


@pytest.mark.parametrize(
    "text", ["a: " + "[" * 10000 + "]" * 10000, "a:\n" + "- " * 5000 + "x\n", "{a: " * 5000]
)
def test_deep_nesting_is_a_problem_not_a_crash(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(YamlProblem) as caught:
        compose(text)
    assert caught.value.message == "YAML nesting too deep"
    assert time.perf_counter() - started < 5


DOCUMENTS = [
    "title: A Text\ndate: 2023-03-20\nsource: x\n",
    'title: "Quoted: with a colon"\nauthors: [Xi Jinping, "V. Sergeev"]\ntags:\n  - china\n  - russia\n',
    "summary: >\n  Folded\n  lines\nnotes: |\n  Kept\n  lines\n\nexcerpt: true\nyear: 1950\nratio: 1.5\n",
    "chain:\n  - {language: zh, source: x, date: 2023-03-20}\n  - language: ru\n    translators: []\n",
    "# a comment\ntitle: 'Single ''quoted'''\nretrieved: ~\nurl: null\nempty:\n",
    "title: Статья о дружбе\noriginal_title: 中俄友谊\nlanguage: bg\n",
    "a: 0x1F\nb: 1e3\nc: .inf\nd: 2023-03-20T10:00:00Z\ne: yes\nf: '2023-03-20'\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_libyaml_composes_as_the_refusing_composer_does(text: str) -> None:
    """Documents without '&' or '!' are composed by libyaml whole; the nodes are the same."""
    assert describe(safeyaml.compose_fast(text)) == describe(safeyaml.compose_events(text))


def describe(node: object) -> object:
    if not isinstance(node, Node):
        return node
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, ScalarNode):
        return (node.tag, node.value, node.style, marks)
    if isinstance(node, SequenceNode):
        return (node.tag, node.flow_style, marks, [describe(item) for item in node.value])
    assert isinstance(node, MappingNode)
    pairs = [(describe(key), describe(value)) for key, value in node.value]
    return (node.tag, node.flow_style, marks, pairs)
