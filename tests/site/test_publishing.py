"""Which texts a build publishes: drafts and texts dated after today are held back unless asked for."""

from __future__ import annotations

import datetime
from collections import Counter

from factories import text

from archive.site.publishing import Publishing, describe_held_back

TODAY = datetime.date(2026, 12, 3)


def test_drafts_and_texts_dated_after_today_are_held_back_unless_asked_for() -> None:
    published = text("a", "2026-12-03").article
    draft = text("b", "2020-01-01", draft=True).article
    tomorrow = text("c", "2026-12-04").article
    plain = Publishing(today=TODAY)
    assert [plain.status(a) for a in (published, draft, tomorrow)] == ["", "draft", "scheduled"]
    assert [plain.shows(a) for a in (published, draft, tomorrow)] == [True, False, False]
    assert [Publishing(drafts=True, today=TODAY).shows(a) for a in (draft, tomorrow)] == [True, False]
    assert [Publishing(future=True, today=TODAY).shows(a) for a in (draft, tomorrow)] == [False, True]
    assert plain.held_back([published, draft, tomorrow]) == Counter(draft=1, scheduled=1)


def test_a_build_of_another_day_is_another_build() -> None:
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert Publishing(today=TODAY).signature != Publishing(today=tomorrow).signature
    # shown before its day, a text's page says "not yet published": the next day it must not
    assert Publishing(future=True, today=TODAY).signature != Publishing(future=True, today=tomorrow).signature


def test_what_is_held_back_is_said_in_words() -> None:
    assert describe_held_back(Counter()) == ""
    assert describe_held_back(Counter(draft=1)) == (
        "1 draft is held back from the site (build --drafts includes it)"
    )
    assert describe_held_back(Counter(draft=2, scheduled=1)) == (
        "2 drafts and 1 text dated after today are held back from the site (build --drafts"
        " --future includes them)"
    )
