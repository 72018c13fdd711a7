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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Protocol

from qa.answer.bylines import QUOTED_TITLE
from qa.text.terms import MONTH_NAMES, content_terms, stopwords
from qa.types import Filters, first_day, last_day

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
    articles: tuple[str, ...] = ()  # sources named by their title or what it says


def named_sources(
    question: str, outlets: Iterable[str], titles: Mapping[str, str] | None = None
) -> NamedSources:
    """The outlets, authors, month and article the question names as its source
    (``outlets``: the names the index holds; ``titles``: each article's title by its
    source), and the question without the outlets' and month's words ("per the AFP
    report from October 2016" goes; "the May 2017 piece" becomes "the piece"); an
    article named by its title keeps its words, which say what is asked about."""
    text = question
    published_from = published_to = None
    period = _PERIOD.search(text)
    if period:
        year = int(period.group("year") or period.group("year2"))
        month = period.group("month") or period.group("month2")
        span = f"{year}"
        if month:
            span += f"-{list(calendar.month_name).index(month.capitalize())}"
        published_from, published_to = first_day(span), last_day(span)
        if period.group("piece"):
            kept = f"the {period.group('piece')}"
        else:  # "the piece about the fightback from November 2016": what it is about stays
            kept = period.group("piece2") + (period.group("about") or "")
        text = f"{text[: period.start()]} {kept} {text[period.end() :]}"
    names = []
    lowered = question.lower()
    candidates = {o.strip() for o in outlets if len(o.strip()) >= 3 and o.lower() in lowered}
    for name in sorted(candidates, key=len, reverse=True):
        # "the October AFP report": a month without its year goes with the outlet's words
        # (the outlet already names the articles; a month of no year is no date range).
        said = rf"(?:the\s+(?:(?:{MONTH_NAMES})\s+)?)?{re.escape(name)}(?:['’]s)?"
        # "… per AFP", "… as South Front describes it", "… in AFP's telling"
        attributed = re.compile(
            rf"[,;]?\s*\b(?:(?:according to|per|as reported by|reported by|by)\s+{said}"
            rf"(?:\s+{_PIECE})?"
            rf"|as\s+{said}\s+(?:describes|described|tells|told|puts|put|reports|reported|"
            rf"sees|saw|has|had|paints|painted|frames|framed)\s+it"
            rf"|in\s+{said}['’]?\s+(?:telling|account|version|words|view))\b",
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
    articles = titled_articles(cleaned, titles or {})
    return NamedSources(cleaned or question, tuple(names), published_from, published_to, articles)


# "the 'West Mosul Breached' piece", "the west Mosul story", "the report on the west
# Mosul breach": an article named by its title, quoted or in the reader's words.
_ARTICLE = r"(?:report|piece|article|story|video|write-up)"
_TITLED = re.compile(
    rf"\bthe\s+(?:(?P<quoted>{QUOTED_TITLE})\s+|(?P<before>(?:[\w'’-]+\s+){{1,3}}?))"
    rf"(?P<piece>{_ARTICLE})\b"
    rf"|\bthe\s+(?P<piece2>{_ARTICLE})\s+(?:about|on|covering|titled|called)\s+"
    r"(?P<after>[^?.,;:]{1,60}?)"
    r"(?=\s*(?:[?.,;:]|$|\b(?:and|versus|vs|compared|with|say|says|said|each|both|credit"
    r"|credits|report|reports|give|gives)\b))",
    re.I,
)


def titled_articles(question: str, titles: Mapping[str, str]) -> tuple[str, ...]:
    """The articles (sources) the question names by their title (``titles``: each
    article's title by its source). A description names the one title that holds more
    of its content words than any other, and at least half of them ("the west Mosul
    story": "West Mosul Breached as …"); words every title shares ("Mosul") name none."""
    return tuple(dict.fromkeys(source for _, source in _titled(question, titles)))


def without_titles(question: str, titles: Mapping[str, str]) -> str:
    """The question with each article it names by its title named as "the <piece>"."""
    for match, _ in reversed(_titled(question, titles)):
        piece = match["piece"] or match["piece2"]
        question = f"{question[: match.start()]}the {piece}{question[match.end() :]}"
    return question


def _titled(question: str, titles: Mapping[str, str]) -> list[tuple[re.Match[str], str]]:
    """Each mention of an article by its title, with the article's source."""
    found = []
    for match in _TITLED.finditer(question):
        words = match["quoted"] or match["before"] or match["after"]
        if match["before"] and stopwords() & set(words.lower().split()):
            continue  # "the colonel gave his report": not a title's words
        terms = set(content_terms(words, groups=False))
        if not terms:
            continue
        held = sorted(((len(terms & _title_terms(t)), s) for s, t in titles.items()), reverse=True)
        if held and 2 * held[0][0] >= len(terms) and (len(held) < 2 or held[1][0] < held[0][0]):
            found.append((match, held[0][1]))
    return found


@lru_cache(maxsize=100_000)
def _title_terms(title: str) -> frozenset[str]:
    """A title's content terms, stemmed once per title, not once per question."""
    return frozenset(content_terms(title, groups=False))


# Where a question names two sources to set side by side ("the October 2016 report and
# the May 2017 piece", "the AFP story versus the South Front one"): each side of these.
_SIDE_BY_SIDE = re.compile(
    r"\s*(?:,\s*)?\b(?:and|versus|vs\.?|compared (?:with|to)|with)\b\s*", re.I
)


# "the AFP and the November 2016 reports", "the Old Mosul and West Mosul reports": two
# sources that share the plural of their piece, which English writes once for both.
_SHARED_PIECE = re.compile(
    r"\b(?P<first>the\s+[\w.'’-]+(?:\s+[\w.'’-]+){0,3}?)\s+and\s+(?:the\s+)?"
    r"(?P<second>[\w.'’-]+(?:\s+[\w.'’-]+){0,3}?)\s+"
    r"(?P<piece>reports|pieces|articles|stories|accounts|write-ups)\b",
    re.I,
)


def _each_with_its_piece(question: str) -> str:
    """The question with a plural piece that two sources share written for each: "the
    AFP and the November 2016 reports" reads "the AFP report and the November 2016
    report", so that each side of the "and" names its source as a piece."""

    def each(match: re.Match[str]) -> str:
        named = match["first"].split()[1:] + match["second"].split()  # "the" aside
        if stopwords() & {word.lower() for word in named}:
            return match[0]  # "the soldiers and the civilians say in their accounts"
        plural = match["piece"]
        piece = plural[:-3] + "y" if plural.lower().endswith("ies") else plural[:-1]
        return f"{match['first']} {piece} and the {match['second']} {piece}"

    return _SHARED_PIECE.sub(each, question)


def each_named_source(
    question: str, outlets: Iterable[str], titles: Mapping[str, str] | None = None
) -> list[NamedSources]:
    """The sources a question sets side by side ("what do the October 2016 AFP report and
    the May 2017 piece each say?"), one ``NamedSources`` each, all with the question
    without any of their words; none if it names fewer than two. A source is what one
    side of an "and" (or "versus", "compared with") names: its outlet and month together
    are one article ("the October 2016 AFP report")."""
    outlets = list(outlets)
    question = _each_with_its_piece(question)
    sides = _SIDE_BY_SIDE.split(question)
    joints = _SIDE_BY_SIDE.findall(question)
    found = [named_sources(side, outlets, titles) for side in sides]
    named = [n for n in found if n.names or n.published_from or n.articles]
    if len(named) < 2:
        return []
    text = found[0].question + "".join(
        j + n.question for j, n in zip(joints, found[1:], strict=True)
    )
    text = re.sub(r"\s{2,}", " ", without_titles(text, titles or {}))
    text = re.sub(r"\s+([?.!,])", r"\1", text).strip()
    return [replace(n, question=text) for n in named]


def narrowed_filters(
    named: NamedSources, filters: Filters, outlets: Mapping[str, Iterable[str]]
) -> Filters:
    """``filters`` narrowed to the articles ``named`` names (``outlets``: each outlet's
    and author's articles), where the caller did not narrow them that way."""
    if (named.names or named.articles) and not (filters.sources or filters.publishers):
        sources = {source for name in named.names for source in outlets[name]}
        filters = replace(filters, sources=tuple(sorted(sources | set(named.articles))))
    if named.published_from and not (filters.published_from or filters.published_to):
        filters = replace(
            filters, published_from=named.published_from, published_to=named.published_to
        )
    return filters


class IndexedArticles(Protocol):
    """What naming sources reads of the indexed articles (the corpus)."""

    def outlets(self) -> Mapping[str, Iterable[str]]: ...

    def titles(self) -> Mapping[str, str]: ...

    def any_article(self, filters: Filters) -> bool: ...


def named_filters(
    question: str, filters: Filters, articles: IndexedArticles
) -> tuple[str, Filters]:
    """The question without the words that name its source ("according to AFP", "the
    May 2017 piece"), and ``filters`` narrowed to those articles where the caller did
    not narrow them that way; the question and filters as they were if it names none or
    no article passes."""
    named = named_sources(question, articles.outlets(), articles.titles())
    narrow = narrowed_filters(named, filters, articles.outlets())
    if narrow == filters or not articles.any_article(narrow):
        return question, filters
    return named.question, narrow


def sources_side_by_side(
    question: str, filters: Filters, articles: IndexedArticles
) -> list[tuple[str, Filters]]:
    """For a question that sets named sources side by side ("what do the October 2016
    report and the May 2017 piece each say?"), the question without their names and each
    one's articles as filters, if the caller set none and each names articles of its
    own; else none."""
    if not filters.empty:
        return []
    sides = each_named_source(question, articles.outlets(), articles.titles())
    narrow = [narrowed_filters(side, filters, articles.outlets()) for side in sides]
    if len(set(narrow)) < 2 or not all(map(articles.any_article, narrow)):
        return []
    return [(side.question, n) for side, n in zip(sides, narrow, strict=True)]
