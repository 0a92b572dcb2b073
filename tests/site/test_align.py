"""Versions -> aligned rows: lengths decide, anchors pin, nothing is dropped or reordered."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archive.site.align import Unit, align_pair, align_versions, text_length


def flatten(rows: list[tuple[range, ...]], column: int) -> list[int]:
    return [index for row in rows for index in row[column]]


def test_equal_lengths_align_one_to_one() -> None:
    left = [Unit(100), Unit(300), Unit(50)]
    right = [Unit(104), Unit(290), Unit(55)]
    assert align_pair(left, right) == [(range(i, i + 1), range(i, i + 1)) for i in range(3)]


def test_a_split_paragraph_aligns_one_to_two() -> None:
    left = [Unit(100), Unit(400), Unit(80)]
    right = [Unit(100), Unit(190), Unit(210), Unit(80)]
    assert align_pair(left, right)[1] == (range(1, 2), range(1, 3))


def test_an_anchor_pins_the_alignment_where_lengths_would_not() -> None:
    left = [Unit(100), Unit(100, "b"), Unit(100)]
    right = [Unit(100), Unit(100), Unit(100, "b")]
    rows = align_versions([left, right])
    pinned = next(row for row in rows if 1 in row[0])
    assert 2 in pinned[1] and 1 not in pinned[1]


def test_blocks_before_a_shared_anchor_get_a_row_of_their_own() -> None:
    rows = align_versions([[Unit(10, "a"), Unit(10)], [Unit(5), Unit(10, "a"), Unit(10)]])
    assert rows[0] == (range(0, 0), range(0, 1))


def test_three_versions_of_unequal_length_keep_every_paragraph_in_order() -> None:
    versions = [
        [Unit(600)],
        [Unit(300), Unit(310)],
        [Unit(200), Unit(210), Unit(190), Unit(900), Unit(800), Unit(700)],
    ]
    rows = align_versions(versions)
    for column, version in enumerate(versions):
        assert flatten(rows, column) == list(range(len(version)))


def test_chinese_characters_weigh_more_than_latin_letters() -> None:
    assert text_length("中文") == 6
    assert text_length("ab c") == 3


units = st.lists(
    st.builds(Unit, st.integers(0, 2000), st.sampled_from([None, None, None, "a", "b", "c"])),
    min_size=1,
    max_size=9,
)


@given(st.lists(units, min_size=1, max_size=4))
def test_alignment_never_drops_or_reorders(versions: list[list[Unit]]) -> None:
    rows = align_versions(versions)
    for column, version in enumerate(versions):
        assert flatten(rows, column) == list(range(len(version)))
    assert all(any(len(span) for span in row) for row in rows)


def test_an_anchor_makes_the_anchored_blocks_match_each_other() -> None:
    excerpt = [Unit(600, "opening")]
    full = [Unit(300, "opening"), Unit(320), *(Unit(600) for _ in range(5))]
    rows = align_versions([excerpt, full])
    assert rows[0] == (range(0, 1), range(0, 2))


def test_an_anchored_block_never_slips_into_the_row_before() -> None:
    original = [Unit(10, "farman"), Unit(80), Unit(90), Unit(900, "address")]
    translation = [Unit(40), Unit(50), Unit(300, "farman"), Unit(500), Unit(200, "address"), Unit(900)]
    rows = align_versions([original, translation])
    row = next(r for r in rows if 3 in r[0])
    assert row[1].start == 4
