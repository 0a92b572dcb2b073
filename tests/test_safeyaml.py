"""Safe YAML: anchors, aliases and object tags are refused; lines are kept."""

from __future__ import annotations

import time

import pytest

from archive.safeyaml import YamlProblem, compose


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
