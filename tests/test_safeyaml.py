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
        ("a: [1, 2", "YAML syntax error: expected ',' or ']', but got '<stream end>'"),
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
