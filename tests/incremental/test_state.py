"""The state a build keeps for the next: what is saved is what is loaded."""

from __future__ import annotations

import pickle

import pytest

from archive.incremental.state import SiteState

LIVE = {"index.html": "k1", "a/index.html": "k2", "b/index.html": "k3"}
LIVE_FILES = {path: (1, 2, 3, n) for n, path in enumerate(LIVE)}


@pytest.mark.parametrize(
    ("twin", "twin_files"),
    [
        (None, {}),  # no twin
        (dict(LIVE), dict(LIVE_FILES)),  # the twin holds the live site
        (  # one file changed, one gone, one new
            {"index.html": "k0", "b/index.html": "k3", "c/index.html": "k4"},
            {"index.html": (9, 9, 9, 9), "c/index.html": (1, 1, 1, 1)},
        ),
        ({}, {}),  # an empty twin
    ],
)
def test_a_site_state_is_loaded_as_it_was_saved(
    twin: dict[str, str] | None, twin_files: dict[str, tuple[int, int, int, int]]
) -> None:
    state = SiteState(LIVE, LIVE_FILES, (1, 2), "s1", twin, twin_files, (1, 3), "s0")
    loaded = pickle.loads(pickle.dumps(state))
    assert loaded == state
    assert loaded.twin is not loaded.outputs and loaded.twin_files is not loaded.files  # changed apart


def test_a_twin_like_the_live_site_costs_little_to_keep() -> None:
    many = {f"texts/{n}/index.html": f"key {n}" for n in range(1000)}
    alone = pickle.dumps(SiteState(many, twin=None))
    with_twin = pickle.dumps(SiteState(many, twin={**many, "texts/0/index.html": "new"}))
    assert len(with_twin) < len(alone) + 200
