"""Who reported a quoted sentence and when: labels for answers that draw on several
articles, so a reader sees which figure is whose and as of when.

In: quoted sentences with their passages. Out: the quotes in the order of their
articles' dates (oldest first, undated last), and, where the sentences give figures
from two or more articles, a lead for each: "As of 25 October 2016 (Ahram Online): ".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from qa.text.numbers import numbers_in
from qa.types import Passage


class Quote(NamedTuple):
    """A sentence of a passage as an answer quotes it, with what goes before it."""

    sentence: str
    passage: Passage
    lead: str = ""


def reported_by(passage: Passage) -> str:
    """The outlet (or author) that published the passage's article."""
    return passage.publisher or passage.author or passage.title


def byline(passage: Passage) -> str:
    """The article as a reader cites it: “Title”, by Simon Nelson (Ahram Online, 10
    November 2016); what its metadata does not give is left out."""
    by = f", by {passage.author}" if passage.author else ""
    where = ", ".join(
        x for x in (passage.publisher, reported_on(passage) if passage.published else None) if x
    )
    return f"“{passage.title}”{by}" + (f" ({where})" if where else "")


def reported_on(passage: Passage) -> str:
    """The article's date as a reader writes it ("25 October 2016"), or "undated"."""
    if not passage.published:
        return "undated"
    try:
        day = date.fromisoformat(passage.published)
    except ValueError:
        return passage.published
    return f"{day.day} {day:%B %Y}"


def by_date(quotes: Sequence[Quote]) -> list[Quote]:
    """Oldest article first, undated ones last; a stable order within one article."""
    return sorted(quotes, key=lambda q: (q.passage.published is None, q.passage.published or ""))


def figure_lead(passage: Passage) -> str:
    """What goes before a figure when figures of several articles stand side by side."""
    return _lead("As of", passage)


def _lead(word: str, passage: Passage) -> str:
    """ "<word> 2 March 2021 (Outlet): ", or "Undated (Outlet): " for an undated article."""
    when = f"{word} {reported_on(passage)}" if passage.published else "Undated"
    return f"{when} ({reported_by(passage)}): "


def label_articles(quotes: Sequence[Quote], word: str = "On") -> list[Quote]:
    """When the quotes come from two or more articles, the first quote of each article is
    led by its date and outlet ("On 2 March 2021 (Northern Herald): "), so a summary
    reads as a dated sequence of reports."""
    if len({q.passage.source for q in quotes}) < 2:
        return list(quotes)
    seen: set[str] = set()
    led = []
    for q in quotes:
        if q.passage.source not in seen and not q.lead:
            q = q._replace(lead=_lead(word, q.passage))
        seen.add(q.passage.source)
        led.append(q)
    return led


def label_figures(quotes: Sequence[Quote]) -> list[Quote]:
    """Each quote stating a number gets its date and outlet as a lead when the quotes
    give numbers from two or more articles; the others are returned as they are."""
    with_numbers = {q.passage.source for q in quotes if numbers_in(q.sentence)}
    if len(with_numbers) < 2:
        return list(quotes)
    return [
        q._replace(lead=figure_lead(q.passage)) if numbers_in(q.sentence) else q for q in quotes
    ]
