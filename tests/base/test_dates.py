"""Dates as historians write them: read, said in words, given to machines."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.base.dates import NotADate, WrittenDate, as_written, date_words, machine_date, read_written_date


@pytest.mark.parametrize(
    ("written", "words", "american", "machine", "earliest"),
    [
        ("1888", "1888", "1888", "1888", "1888-01-01"),
        ("1913-03", "March 1913", "March 1913", "1913-03", "1913-03-01"),
        ("1847~", "c. 1847", "ca. 1847", "1847", "1847-01-01"),
        ("1845?", "1845?", "1845?", "1845", "1845-01-01"),
        ("1845%", "c. 1845?", "ca. 1845?", "1845", "1845-01-01"),
        ("1917-10/1917-11", "October–November 1917", "October–November 1917", "1917-10", "1917-10-01"),
        ("2023-03-20/2023-03-22", "20–22 March 2023", "March 20–22, 2023", "2023-03-20", "2023-03-20"),
        ("1845/1847", "1845–1847", "1845–1847", "1845", "1845-01-01"),
        (
            "1917-12/1918-01",
            "December 1917 – January 1918",
            "December 1917 – January 1918",
            "1917-12",
            "1917-12-01",
        ),
        (
            "1917-10~/1917-11",
            "c. October 1917 – November 1917",
            "ca. October 1917 – November 1917",
            "1917-10",
            "1917-10-01",
        ),
    ],
)
def test_a_partial_date_is_said_as_written(
    written: str, words: str, american: str, machine: str, earliest: str
) -> None:
    date = read_written_date(written)
    assert isinstance(date, WrittenDate)
    assert date.earliest == datetime.date.fromisoformat(earliest)
    assert date_words(date.earliest, date) == words
    assert date_words(date.earliest, date, american=True) == american
    assert machine_date(date.earliest, date) == machine
    assert as_written(date.earliest, date) == written


def test_the_last_years_and_a_span_of_one_date() -> None:
    date = read_written_date("1888/9999")
    assert isinstance(date, WrittenDate) and date_words(date.earliest, date) == "1888–9999"
    assert read_written_date("1917-10-05/1917-10-05") == datetime.date(1917, 10, 5)
    once = read_written_date("1917/1917")
    assert isinstance(once, WrittenDate) and date_words(once.earliest, once) == "1917"


def test_a_day_is_a_date() -> None:
    assert read_written_date("2023-03-20") == datetime.date(2023, 3, 20)
    assert date_words(datetime.date(2023, 3, 20)) == "20 March 2023"
    assert date_words(datetime.date(2023, 3, 20), american=True) == "March 20, 2023"


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("1913-13", "has no month 13"),
        ("2023-02-30", "is not a real date"),
        ("1917-11/1917-10", "ends before it starts"),
        ("c. 1847", "is not a date"),
        ("19XX", "is not a date"),  # EDTF's unspecified digits: not taken
        ("1913/..", "is not a date"),  # nor open spans
        ("0000", "has no year 0"),
        ("١٨٨٨", "is not a date"),  # digits of another script
    ],
)
def test_what_is_not_such_a_date_is_refused(written: str, why: str) -> None:
    with pytest.raises(NotADate, match=why):
        read_written_date(written)


@given(st.dates(min_value=datetime.date(1000, 1, 1)), st.dates(min_value=datetime.date(1000, 1, 1)))
def test_a_span_of_days_sorts_by_its_first_and_says_both(one: datetime.date, other: datetime.date) -> None:
    start, end = sorted((one, other))
    date = read_written_date(f"{start}/{end}")
    if start == end:
        assert date == start  # a span of one day is that day
        return
    assert isinstance(date, WrittenDate)
    assert date.earliest == start
    words = date_words(start, date)
    assert str(start.year) in words and str(end.day) in words
