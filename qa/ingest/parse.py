"""Turn a saved article (.txt, .md or .html) into an ``Article``: headline, metadata, body.

In: a file name and its raw text. Out: an ``Article`` whose body is free of page
debris and whose title is the headline (not site chrome above it), with the
publication date as ISO 8601, the author and the publisher where the page gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from dateutil import parser as dateparser

from qa.ingest.clean import is_debris_line, strip_debris, without_author_note
from qa.ingest.titles import headline_standing_again, is_prose, without_site_name
from qa.types import Article

HEADER_LINES = 8  # the headline and byline stand within the first few lines

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), False),
    (re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"), True),  # dotted dates are day-first
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"), False),
    (re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b"), True),  # "04-12-2016": day first, mostly
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b", re.I), True),
    (re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I), False),
)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b,?", re.I)
_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
# A byline's label other than "By" ("Reporter: Ahmed Sabah", "Written by: Hassan Ali"),
# and the next label on its line, which ends the name ("… Editor: Rana Jalil")
_LABEL = r"(?:(?:reporter|writer|words|text|story):|(?:written|words|story|reported) by:?)"
_NAME_BEFORE_LABEL = (
    r"[A-Z][\w'’.-]*(?:\s+(?!(?i:editor|photos?|photographer)\b)[A-Z][\w'’.-]*){0,3}"
)
_AUTHOR_PATTERNS = (
    re.compile(rf"\b(?i:author):\s*({_NAME})"),
    re.compile(rf"\b(?i:articles? by):\s*({_NAME})"),
    re.compile(rf"^(?i:{_LABEL})\s*({_NAME_BEFORE_LABEL})"),
    re.compile(rf"^(?i:by)\s+({_NAME})"),
)
_NAME_ONLY = re.compile(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}")  # "Mustafa Saadoun"
_COMPANY = re.compile(r",?\s+(?:LLC|L\.L\.C\.|Inc\.?|Ltd\.?|Limited|PLC|GmbH|S\.A\.)$")
_RESERVED = re.compile(r"[.,]?\s*all rights reserved\.?\s*$", re.I)
_BYLINE_ONLY = re.compile(
    rf"^(?:by\s+|articles? by:\s*|author:\s*|{_LABEL}\s*)({_NAME_BEFORE_LABEL})"
    r"(?:\s+(?:editor|photos?|photographer)\b.*)?\s*$",
    re.I,
)
_BY_NAME = re.compile(rf"^(?i:by)\s+{_NAME}\s*(?:[|,–—-]|$)")
# A desk's credit where a byline stands, naming no one ("From staff and wire reports",
# "Staff and agencies", "From our correspondent"); never one word, which may be a menu's
_CREDIT_LINE = re.compile(
    r"(?=\S+\s+\S)(?:from\s+)?(?:our\s+)?(?:staff|correspondents?|reporters?|wires?|agencies)"
    r"(?:\s+(?:and|&)\s+(?:wire\s+|news\s+)?(?:reports|agencies|wires|services))?"
    r"(?:\s+reports?)?",
    re.I,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4})?)?\s*(.+?)\.?$", re.I
)
_PUBLISHED = re.compile(r"^published( on)?:?\s*\d", re.I)
_SITE_LINE = re.compile(r"^(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\s+contains\b", re.I)


def parse_article(source: str, text: str) -> Article:
    """Split raw article text into headline, metadata and a cleaned body."""
    lines = [line.strip() for line in text.splitlines()]
    # A page copied from a browser: its menu above the headline is not the story
    menu = _menu_end(lines)
    lines[:menu] = [""] * menu
    headline, site = headline_standing_again(lines)
    header = _header_indices(lines)
    dateline = next((i for i in header if is_dateline(lines[i])), None)
    title_index = _title_index(lines, header, dateline)
    title = lines[title_index] if title_index is not None else Path(source).stem
    # the headline where a saved page's title stood again (a standfirst under it may
    # stand above the byline, where the headline is looked for)
    title = headline if headline and title_index is not None else title
    named = None  # a line of the author's name alone, between the headline and its date
    if dateline is None and title_index is not None:
        # A bare date right under the headline is the story's, not a page's timestamp;
        # so too under the author's name alone ("Mustafa Saadoun" / "July 18, 2017").
        below = _next_line(lines, title_index)
        if below is not None and _NAME_ONLY.fullmatch(lines[below]):
            named, below = below, _next_line(lines, below)
        if below is not None and is_dateline(lines[below]) and len(lines[below].split()) <= 6:
            dateline = below
        else:
            named = None
    if dateline is None and title_index is not None:
        # ... and so is one right under a byline below a standfirst ("By Renas Fuad" /
        # "November 12, 2018")
        byline = next((i for i in header if i > title_index and _BYLINE_ONLY.match(lines[i])), None)
        below = _next_line(lines, byline) if byline is not None else None
        if below is not None and is_dateline(lines[below]) and len(lines[below].split()) <= 6:
            dateline = below

    published = author = None
    if dateline is not None:
        published = find_date(lines[dateline])
        author = _author_in_dateline(lines[dateline])
    if named is not None:
        author = author or lines[named]
    author = author or _first_author(lines) or _byline_author(lines, header)
    publisher = _publisher(lines) or site
    if title_index is not None:
        title = without_site_name(title, publisher)

    skip = {i for i in header if title_index is not None and i <= title_index}
    skip |= {i for i in (dateline, named) if i is not None}
    body_lines = [
        line
        for i, line in enumerate(lines)
        if i not in skip and not _BYLINE_ONLY.match(line) and not _CREDIT_LINE.fullmatch(line)
    ]
    body = "\n".join(without_author_note(strip_debris(body_lines), author)).strip()
    return Article(
        source=source,
        title=title,
        body=body,
        published=published,
        author=author,
        publisher=publisher,
    )


def _next_line(lines: list[str], after: int) -> int | None:
    """The next line after ``after`` with text, past a byline of a name alone."""
    return next(
        (i for i in range(after + 1, len(lines)) if lines[i] and not _BYLINE_ONLY.match(lines[i])),
        None,
    )


def find_date(line: str) -> str | None:
    """The first date in a line as ISO 8601 (YYYY-MM-DD), or None."""
    if settled := weekday_reading(line):
        return settled
    for pattern, dayfirst in _DATE_PATTERNS:
        match = pattern.search(line)
        if not match:
            continue
        try:
            parsed = dateparser.parse(match.group(0), dayfirst=dayfirst, fuzzy=True)
        except (ValueError, OverflowError):
            continue
        if date(1900, 1, 1) <= parsed.date() <= date(2100, 1, 1):
            return parsed.date().isoformat()
    return None


MENU_ITEMS = 4  # short lines in a row at the top, from which on they are a site's menu
_MENU_ITEM = re.compile(r"[\w'’&/-]+(?: [\w'’&/-]+){0,2}")  # "Sign in", "Middle East"


def _menu_end(lines: list[str]) -> int:
    """Where a menu at the top of a page copied from a browser ends ("Skip to main
    content", "Al-Monitor", "Sign in", "Home", "Middle East", …, "IRAQ"): the index after
    a run of at least ``MENU_ITEMS`` lines of a few words each, with no sentence's
    punctuation, nor a date; 0 if the text does not open so. A short headline ending
    the run ("Mosul retaken" above "By Peter Hallam") is kept."""
    items: list[int] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if is_byline(line) or is_dateline(line):
            # The headline stands right above its byline, or above the author's name
            # alone above the date ("Mosul retaken" / "Peter Hallam" / "July 10, 2017")
            named = bool(items) and _NAME_ONLY.fullmatch(lines[items[-1]]) is not None
            del items[-(1 + named) :]
            break
        if not (is_debris_line(line) or (_MENU_ITEM.fullmatch(line) and not find_date(line))):
            break
        items.append(i)
    return items[-1] + 1 if len(items) >= MENU_ITEMS else 0


_NUMBERS_DATE = re.compile(r"\b(\d{1,2})([/-])(\d{1,2})\2(\d{4})\b")
_WEEKDAYS = ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")


def weekday_reading(line: str) -> str | None:
    """A date in numbers that reads two ways ("Sunday, 04-12-2016") read the one way
    whose weekday is the one the line names (4 December 2016 was a Sunday, 12 April a
    Tuesday), as ISO 8601; None if the line names no weekday, or it settles nothing."""
    named = _WEEKDAY.search(line)
    found = _NUMBERS_DATE.search(line)
    if named is None or found is None:
        return None
    first, second, year = int(found[1]), int(found[3]), int(found[4])
    weekday = _WEEKDAYS.index(named[1].lower())
    readings = set()
    for day, month in ((first, second), (second, first)):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        if when.weekday() == weekday:
            readings.add(when.isoformat())
    return readings.pop() if len(readings) == 1 else None


def _header_indices(lines: list[str]) -> list[int]:
    """Indices of the first non-empty, non-debris lines, where headline and byline stand."""
    found: list[int] = []
    for i, line in enumerate(lines):
        # "Published: 23 February 2017" is debris in the body, the dateline up here
        if not line or (is_debris_line(line) and not _PUBLISHED.match(line)):
            continue
        if find_date(line) and len(line.split()) <= 4 and not _is_dateline_with_name(line):
            continue  # a bare timestamp of the page, not of the story
        found.append(i)
        if len(found) == HEADER_LINES:
            break
    return found


def is_dateline(line: str) -> bool:
    """A short line giving a date, as under a headline ("By Dana Reed, 2 March 2021"); not
    an entry of a timeline ("17 October 2016: Iraqi forces launch the offensive")."""
    return (
        bool(find_date(line))
        and len(line.split()) <= 16
        and not line.endswith(".")
        and not any(_opens_entry(pattern, line) for pattern, _ in _DATE_PATTERNS)
    )


def _opens_entry(date_pattern: re.Pattern[str], line: str) -> bool:
    found = date_pattern.match(line)
    return found is not None and line[found.end() :].lstrip().startswith(":")


def is_name(line: str) -> bool:
    """A line that is a person's name alone ("Mustafa Saadoun"), as a byline gives it."""
    return bool(_NAME_ONLY.fullmatch(line))


def is_byline(line: str) -> bool:
    """A line naming the author, and perhaps the date ("By Hana Yousif | Published 5 hours
    ago"), or crediting a desk ("From staff and wire reports"): not a sentence of the story
    ("By Monday, troops had crossed the river.")."""
    return (
        bool(_BYLINE_ONLY.match(line) or _BY_NAME.match(line) or _CREDIT_LINE.fullmatch(line))
        and len(line.split()) <= 14
        and not line.endswith(".")
    )


def _is_dateline_with_name(line: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", _WEEKDAY.sub("", _strip_dates(line))))


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 25
        and not line.endswith((".", ":", ","))
        # "3 killed as car bomb hits market"; a script without case (Arabic, Hebrew,
        # Devanagari) has no capital to start with
        and (line[0].isdigit() or (line[0].isalpha() and not line[0].islower()))
        and not is_byline(line)
        and not is_dateline(line)
    )


def _title_index(lines: list[str], header: list[int], dateline: int | None) -> int | None:
    """The headline: the line just above the byline if there is one, else the first one.
    A headline stands above the story: a short line after a paragraph of it is a
    subheading, and the text has no headline (the lines above one are dropped as the
    page's furniture, so a subheading taken for it would lose the story's first
    paragraphs)."""
    prose = next((i for i in header if is_prose(lines[i])), len(lines))
    candidates = [i for i in header if i < prose]
    if dateline is not None:
        # (above a desk's credit, which stands where a byline would)
        above = [i for i in candidates if i < dateline and not _CREDIT_LINE.fullmatch(lines[i])]
        if above and _is_headline(lines[above[-1]]):
            return above[-1]
    return next((i for i in candidates if _is_headline(lines[i])), None)


def _strip_dates(line: str) -> str:
    for pattern, _ in _DATE_PATTERNS:
        line = pattern.sub(" ", line)
    return line


def _author_in_dateline(line: str) -> str | None:
    for pattern in _AUTHOR_PATTERNS:
        match = pattern.search(line)
        if match:
            return match.group(1).strip()
    rest = _WEEKDAY.sub(" ", _strip_dates(line))
    rest = re.sub(r"\s*[-–|,]\s*\d{1,2}:\d{2}\b.*", " ", rest)
    rest = " ".join(re.sub(r"[,|·•]", " ", rest).split())  # "Hemin Salih | 24 January …"
    rest = re.sub(r"^(?i:by)\s+", "", rest)  # "May 2, 2018 by Shilan Rashid"
    if rest and re.fullmatch(_NAME, rest):
        return rest
    return None


def _byline_author(lines: list[str], header: list[int]) -> str | None:
    """The author of a byline of their name alone ("By Ahmed Rashid") under the headline."""
    found = next((m for i in header if (m := _BYLINE_ONLY.match(lines[i]))), None)
    return found.group(1).strip() if found else None


def _first_author(lines: list[str]) -> str | None:
    for line in lines:
        for pattern in _AUTHOR_PATTERNS[:3]:
            match = pattern.search(line)
            if match:
                return match.group(1).strip()
    return None


def copyright_holders(lines: list[str]) -> Iterator[str]:
    """The names copyright lines give, last line first ("© 2017 Nineveh News Agency. All
    rights reserved": the outlet, not the notice; "Al-Monitor, LLC": not its company)."""
    for line in reversed(lines):
        match = _COPYRIGHT.match(line) if is_debris_line(line) else None
        name = _COMPANY.sub("", _RESERVED.sub("", match.group(1)).strip()) if match else ""
        if name:
            yield name


def _publisher(lines: list[str]) -> str | None:
    """The publisher as named in a copyright line or a site notice, if any."""
    name = next(copyright_holders(lines), None)
    if name:
        return name
    for line in lines:
        match = _SITE_LINE.match(line)
        if match:
            return match.group(1).lower()
    return None
