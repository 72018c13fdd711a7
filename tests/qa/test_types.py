from datetime import date

import pytest

from qa.types import first_day, last_day


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2017-03-05", date(2017, 3, 5), date(2017, 3, 5)),
        ("2017-03", date(2017, 3, 1), date(2017, 3, 31)),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29)),
        ("2017-2", date(2017, 2, 1), date(2017, 2, 28)),
        (" 2017 ", date(2017, 1, 1), date(2017, 12, 31)),
    ],
)
def test_a_day_month_or_year_bounds_a_range_from_its_first_to_its_last_day(
    text: str, first: date, last: date
) -> None:
    assert (first_day(text), last_day(text)) == (first, last)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("17", "expected a date as YYYY-MM-DD"),
        ("last week", "expected a date"),
        ("2017-03-05T10:00", "expected a date"),
        ("2017-13", "month must be in 1..12"),
        ("2017-02-30", "day is out of range"),
    ],
)
def test_what_is_not_a_day_month_or_year_is_refused_saying_why(text: str, says: str) -> None:
    for bound in (first_day, last_day):
        with pytest.raises(ValueError, match=says):
            bound(text)
