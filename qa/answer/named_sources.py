"""Which articles a question names as its source: an outlet or author ("according to
the South Front report", "per AFP") or a month of publication ("the May 2017 piece").

In: the question and the outlets and authors the index holds. Out: a ``NamedSources``
with the names it found, the month it found (as a date range), and the question with
those words taken out, so that they are read as filters, not as words an answer must
contain. A name counts only where the question says it is the source (a report, a piece,
"according to"), not where it is what the question is about ("what did he tell AFP?").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from qa.answer.bylines import QUOTED_TITLE
from qa.text.terms import MONTH_NAMES

_PIECE = (
    r"(?:report|reports|reporting|piece|article|story|coverage|account|video|write-up|estimate)"
)
# "the October 2016 AFP estimate", "the piece from May 2017", "the piece about the
# fightback from November 2016": a month of publication (an outlet's name may stand
# between the date and the piece; what the piece is about, between it and "from").
_PERIOD = re.compile(
    rf"\b(?:the\s+)?(?:(?P<month>{MONTH_NAMES})\s+)?(?P<year>(?:19|20)\d\d)"
    rf"\s+(?P<piece>(?-i:(?:[A-Z][\w.'’-]*\s+){{0,3}}){_PIECE})\b"
    rf"|\b(?P<piece2>{_PIECE})(?P<about>\s+(?:about|on)\s+[^?.,;:]{{1,60}}?)?"
    rf"\s+(?(about)(?:from|dated)|(?:from|of|in|dated))\s+(?:(?P<month2>{MONTH_NAMES})\s+)?"
    rf"(?P<year2>(?:19|20)\d\d)\b",
    re.I,
)


@dataclass(frozen=True)
class NamedSources:
    question: str  # the question without the words that name its source
    names: tuple[str, ...] = ()  # outlets or authors, as the index writes them
    published_from: date | None = None
    published_to: date | None = None


def named_sources(question: str, outlets: Iterable[str]) -> NamedSources:
    """The outlets, authors and month the question names as its source (``outlets``: the
    names the index holds), and the question without those words ("per the AFP report
    from October 2016" goes; "the May 2017 piece" becomes "the piece")."""
    text = question
    published_from = published_to = None
    period = _PERIOD.search(text)
    if period:
        year = int(period.group("year") or period.group("year2"))
        month = period.group("month") or period.group("month2")
        if month:
            number = list(calendar.month_name).index(month.capitalize())
            published_from = date(year, number, 1)
            published_to = date(year, number, calendar.monthrange(year, number)[1])
        else:
            published_from, published_to = date(year, 1, 1), date(year, 12, 31)
        if period.group("piece"):
            kept = f"the {period.group('piece')}"
        else:  # "the piece about the fightback from November 2016": what it is about stays
            kept = period.group("piece2") + (period.group("about") or "")
        text = f"{text[: period.start()]} {kept} {text[period.end() :]}"
    names = []
    lowered = question.lower()
    candidates = {o.strip() for o in outlets if len(o.strip()) >= 3 and o.lower() in lowered}
    for name in sorted(candidates, key=len, reverse=True):
        said = rf"(?:the\s+)?{re.escape(name)}(?:['’]s)?"
        attributed = re.compile(
            rf"[,;]?\s*\b(?:according to|per|as reported by|reported by|by)\s+{said}"
            rf"(?:\s+{_PIECE})?\b",
            re.I,
        )
        # "the AFP piece", "the AFP 'Coalition huddles' piece": its title may stand between
        piece = re.compile(
            rf"\b{said}\s+(?P<title>{QUOTED_TITLE}\s+)?(?P<piece>{_PIECE})\b",
            re.I,
        )
        speaks = re.compile(rf"\b(?:does|did|do)\s+{said}\s+(?:say|report|write|claim)", re.I)
        if attributed.search(text):
            text = attributed.sub(" ", text)
        elif piece.search(text):
            text = piece.sub(lambda m: f"the {m['title'] or ''}{m['piece']}", text)
        elif not speaks.search(text):
            continue  # "what does X say will remain": its words stay the question's
        names.append(name)
    cleaned = re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return NamedSources(cleaned or question, tuple(names), published_from, published_to)
