"""Dates as people bound a search by them: a day, a month or a year.

In: "2017-03-05", "2017-03" or "2017". Out: the first day the text names (for "published
from") or the last (for "published to"), so "to 2017" takes in the whole of 2017.
``datetime.date.fromisoformat`` reads only whole days, and pydantic reads "2017" as
seconds after 1970; neither is what someone narrowing a news archive to a year means.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
FORMATS = "YYYY-MM-DD, YYYY-MM or YYYY"


def _parts(text: str) -> tuple[int, int | None, int | None]:
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"expected a date as {FORMATS}, got {text!r}")
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def _checked(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a date: {error}") from None


def first_day(text: str) -> date:
    """The first day ``text`` names: "2017" is 1 January 2017."""
    year, month, day = _parts(text)
    return _checked(year, month or 1, day or 1, text)


def last_day(text: str) -> date:
    """The last day ``text`` names: "2017-02" is 28 February 2017."""
    year, month, day = _parts(text)
    if month is None:
        return _checked(year, 12, 31, text)
    if day is None:
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a date: month must be in 1..12")
        day = calendar.monthrange(year, month)[1]
    return _checked(year, month, day, text)
