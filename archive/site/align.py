"""Versions of one work -> rows of paragraphs that say the same thing (Gale-Church on lengths).

Each version is a sequence of units (its top-level blocks), known only by their length and an
optional anchor. Two versions are aligned by dynamic programming over 1-1, 1-2, 2-1, 1-0 and 0-1
matches, scored as Gale and Church (1993) score them; anchors that both versions carry pin the
alignment at those blocks. Every unit of every version lands in exactly one row, in its own
order: nothing is dropped, nothing reordered.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Prior probabilities of each kind of match (Gale and Church 1993, table 5).
MATCHES = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089}
VARIANCE = 6.8  # variance of the length ratio per character (Gale and Church)
WIDE_WEIGHT = 3  # a Chinese or Japanese character carries about as much as three Latin letters


@dataclass(frozen=True)
class Unit:
    """What the aligner knows of a block: its length and the anchor that pins it, if any."""

    length: int
    anchor: str | None = None


Span = range  # the indices of one version's units in one row
Bead = tuple[Span, Span]
Table = dict[tuple[int, int], tuple[float, tuple[int, int] | None]]  # cell -> (cost, previous cell)


def text_length(text: str) -> int:
    """Length of a text in Latin-letter equivalents: wide (CJK) characters count three."""
    return sum(WIDE_WEIGHT if unicodedata.east_asian_width(c) in "WF" else 1 for c in text if not c.isspace())


def match_cost(left: int, right: int, kind: tuple[int, int]) -> float:
    """Minus the log probability that blocks of these total lengths translate each other."""
    spread = math.sqrt((left + right) / 2 * VARIANCE)
    delta = (right - left) / spread if spread else 0.0
    probability = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(MATCHES[kind]) - math.log(max(probability, 1e-300))


def align_pair(left: Sequence[Unit], right: Sequence[Unit]) -> list[Bead]:
    """Align two versions: beads in order, covering every unit of both exactly once."""
    anchors = shared_anchors(left, right)
    beads: list[Bead] = []
    start = (0, 0)
    for cut in [*(a for a in anchors if a != (0, 0)), (len(left), len(right))]:
        beads += align_segment(left, right, start, cut, pinned=start in anchors)
        start = cut
    return beads


def shared_anchors(left: Sequence[Unit], right: Sequence[Unit]) -> list[tuple[int, int]]:
    """Positions (in both) of anchors the two versions share, kept only while in order in both."""
    where = {unit.anchor: j for j, unit in enumerate(right) if unit.anchor}
    cuts: list[tuple[int, int]] = []
    for i, unit in enumerate(left):
        j = where.get(unit.anchor) if unit.anchor else None
        if j is not None and (not cuts or (i > cuts[-1][0] and j > cuts[-1][1])):
            cuts.append((i, j))
    return cuts


def align_segment(
    left: Sequence[Unit], right: Sequence[Unit], start: tuple[int, int], end: tuple[int, int], pinned: bool
) -> list[Bead]:
    """Best sequence of matches between left[start..end) and right[start..end).

    A pinned segment starts at a shared anchor: its first match holds a block of each side.
    """
    (i0, j0), (i1, j1) = start, end
    best: Table = {(i0, j0): (0.0, None)}
    for i in range(i0, i1 + 1):
        for j in range(j0, j1 + 1):
            for di, dj in MATCHES:
                before = (i - di, j - dj)
                if before not in best or (i, j) == (i0, j0):
                    continue
                if pinned and before == (i0, j0) and 0 in (di, dj) and (i1 > i0 and j1 > j0):
                    continue
                left_length = sum(u.length for u in left[i - di : i])
                right_length = sum(u.length for u in right[j - dj : j])
                cost = best[before][0] + match_cost(left_length, right_length, (di, dj))
                if (i, j) not in best or cost < best[(i, j)][0]:
                    best[(i, j)] = (cost, before)
    return trace_beads(best, (i1, j1))


def trace_beads(best: Table, end: tuple[int, int]) -> list[Bead]:
    """Walk the table back from the end to the start."""
    beads: list[Bead] = []
    here = end
    while (before := best[here][1]) is not None:
        beads.append((range(before[0], here[0]), range(before[1], here[1])))
        here = before
    return beads[::-1]


def align_versions(versions: Sequence[Sequence[Unit]]) -> list[tuple[Span, ...]]:
    """Rows across all versions, each aligned to the first; a row holds one span per version.

    Blocks that match nothing in the first version get a row of their own, so an anchored row
    never takes in the blocks before it.
    """
    pivot = versions[0]
    maps = [pivot_cuts(align_pair(pivot, other)) for other in versions[1:]]
    positions = [i for i in range(len(pivot) + 1) if all(i in cuts for cuts in maps)]
    bounds: list[tuple[int, ...]] = []
    for i in positions:
        for end in (0, 1):  # before and after what other versions insert at this point
            bound = (i, *(cuts[i][end] for cuts in maps))
            if not bounds or bound != bounds[-1]:
                bounds.append(bound)
    return [
        tuple(range(a, b) for a, b in zip(start, end, strict=True))
        for start, end in itertools.pairwise(bounds)
    ]


def pivot_cuts(beads: list[Bead]) -> dict[int, tuple[int, int]]:
    """For each boundary of the first version, where it falls in the other: before and after
    the blocks the other inserts there."""
    cuts = {0: (0, 0)}
    for left, right in beads:
        if len(left):
            cuts[left.stop] = (right.stop, right.stop)
        else:
            cuts[left.stop] = (cuts[left.stop][0], right.stop)
    return cuts
