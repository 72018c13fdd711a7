"""Pull a news article out of a web page: its main text, headline, author, outlet, date.

In: a page's HTML (and its URL, when it was fetched). Out: an ``Article``, or None when
the page holds no article text. trafilatura finds the main text (leaving out navigation,
cookie banners, comment forms, related-story lists, share bars and footers) and reads the
title, author and outlet from the page's metadata (Open Graph, JSON-LD, meta tags,
bylines). The date is the one the page shows under its headline (one written in numbers
that reads two ways, "03/07/2017", as the page's language writes it), else the date of
first publication htmldate finds in the page's metadata, markup or URL, else none. Plain-text
files keep their own cleaner (``clean.py``), which knows the debris of text saved from
pages; its byline, dateline and debris lines are dropped from a page's text too.
"""

from __future__ import annotations

import logging
import re
from html import unescape
from itertools import chain
from typing import Any

import htmldate
import trafilatura
from bs4 import BeautifulSoup

from qa.ingest.clean import (
    is_debris_line,
    strip_debris,
    without_author_note,
    without_outlet_note,
)
from qa.ingest.formats import to_plain_text
from qa.ingest.page_kinds import link_texts
from qa.ingest.parse import (
    copyright_holders,
    find_date,
    is_byline,
    is_dateline,
    is_name,
    weekday_reading,
)
from qa.ingest.tables import squeezed, written_out
from qa.ingest.titles import TITLE_SEPARATOR, headline_parts, without_site_name
from qa.text.terms import content_terms
from qa.types import Article

# The zero-width non-joiner and joiner, which Persian and Kurdish write inside words
# ("می‌بینیم"), and printable characters no page uses to carry them through trafilatura
_JOINERS = (("\u200c", "\U0001d15e"), ("\u200d", "\U0001d15f"))
# trafilatura and htmldate explain every guess at INFO level.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def extract_html_article(source: str, html: str, url: str | None = None) -> Article | None:
    """The article in ``html``; None if trafilatura finds no main text in it."""
    for joiner, stand_in in _JOINERS:  # trafilatura drops what is not printable
        html = html.replace(joiner, stand_in)
    found: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,  # written out a row to a sentence (``tables.written_out``)
        include_images=False,
        favor_precision=True,
    )
    if found is None or not (found.text or "").strip():
        return None
    for name in ("text", "title", "author", "sitename"):
        if value := getattr(found, name):
            for joiner, stand_in in _JOINERS:
                value = value.replace(stand_in, joiner)
            setattr(found, name, value)
    title = _headline_as_shown(_beside_site_name((found.title or "").strip(), html), html)
    lines = [line.strip() for line in found.text.splitlines() if line.strip()]
    if any(line.startswith("|") for line in lines):  # a table: is it one of links?
        links = {squeezed(link) for link in link_texts(BeautifulSoup(html, "html.parser"))}
        lines = written_out(lines, links)
    # The headline, repeated near the top of the text, and what stands above it there: a
    # label, a kicker, "News provided by", the date (read below if none is found under it)
    # (the title may still carry the site's name: "Basra protests spread :: Monitor")
    headlines = {title, *headline_parts(title)}
    repeated = next((i for i, line in enumerate(lines[:HEADLINE_WITHIN]) if line in headlines), -1)
    above, lines = lines[: max(repeated, 0)], lines[repeated + 1 :]  # not the headline
    # The byline and date lines under the headline are the article's metadata, not its
    # story (an answer quoted "By Hana Yousif | Published 5 hours ago"), and so is a
    # section's label above the story.
    named = None  # the author's name alone, above the date ("Noor Haddad" / "Published: …")
    while lines and (
        is_byline(lines[0])
        or is_dateline(lines[0])
        or is_debris_line(lines[0])
        or _LABEL.match(lines[0])
        or (is_name(lines[0]) and len(lines) > 1 and is_dateline(lines[1]))
    ):
        named = lines[0] if is_name(lines[0]) and not is_byline(lines[0]) else named
        lines = lines[1:]
    # ... and so is a byline further down (a live page's, under its first entry)
    lines = [line for line in lines if not is_byline(line)]
    visible = [line for line in to_plain_text(html, ".html").splitlines() if line.strip()]
    shown, ambiguous = _shown_date(visible, title, lines[0]) if lines else (None, False)
    if shown is None:
        shown, ambiguous = _date_in(above)
    publisher = (
        _site_name(found.sitename)
        or _outlet(html, title)
        or _host_named(visible, found.hostname, html)
        or _clean(found.hostname)
    )
    author = _author(found.author, publisher, html) or named or _byline(visible) or _credited(lines)
    kept = without_outlet_note(without_author_note(strip_debris(lines), author), publisher)
    body = "\n\n".join(kept)
    if not body:
        return None
    published = shown or page_date(html, url)
    if shown and ambiguous:  # "03/07/2017", read month first: as the page's language does?
        swapped = f"{shown[:4]}-{shown[8:]}-{shown[5:7]}"
        language = _LANG.search(html[:HEAD_CHARS])
        if language is None or language[1].lower() == "en":  # English, but whose?
            published = swapped if page_date(html, url) == swapped else shown
        elif language[1].lower() != "en-us":  # day first: British English, French, Arabic…
            published = swapped
    return Article(
        source=source,
        title=without_site_name(title, publisher) or source,
        body=body,
        published=published,
        author=author,
        publisher=publisher,
    )


# Bounded, as the <title> is: a page of many unclosed <h1> tags must not cost time
# squared in its length
_H1 = re.compile(r"<h1\b[^>]{0,500}>(.{0,1000}?)</h1>", re.I | re.S)
LABEL_WORDS = 3  # a label beside the headline in a page's title: "Opinion", "live updates"


def _headline_as_shown(title: str, html: str) -> str:
    """The headline as the page shows it in its <h1>, where the metadata's title (which
    trafilatura prefers) is that headline with a label beside it ("Opinion: …", "… -
    live updates")."""
    for found in _H1.finditer(html):
        shown = " ".join(unescape(re.sub(r"<[^>]+>", " ", found[1])).split())
        if len(shown.split()) > LABEL_WORDS and shown != title and shown in title:
            label = title.replace(shown, " ")
            if len(re.findall(r"\w+", label)) <= LABEL_WORDS:
                return shown
    return title


def page_date(html: str, url: str | None = None) -> str | None:
    """The date of first publication in the page's metadata, markup or URL. Without its
    extensive search (trafilatura's date uses it), htmldate reads those only: the search
    took a footer's "© 2019–2025", a list of archive years or a related story's date for
    the article's."""
    found: str | None = htmldate.find_date(
        html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
    )
    return found


def _shown_date(visible: list[str], headline: str, first: str) -> tuple[str | None, bool]:
    """The date the page shows between the headline and the story's first line, as a
    reader sees it (None if the story's first line is not found), and whether it is
    written in numbers that read as two dates ("03/07/2017"). It comes before the
    metadata, which may give only a "modified" time."""
    start = next((i + 1 for i, line in enumerate(visible) if line == headline), 0)
    opening = " ".join(first.split())[:60]
    end = next((i for i in range(start, len(visible)) if visible[i].startswith(opening)), None)
    if end is None:
        return None, False
    # not the headline itself, which the page may show again ("Kurds vote on 25 September")
    return _date_in([line for line in visible[start:end] if line != headline])


def _date_in(lines: list[str]) -> tuple[str | None, bool]:
    """The first date a dateline among ``lines`` gives, and whether it reads two ways."""
    for line in lines:
        # "Published 3 March 2017, updated 5 March 2017": the date before the update's;
        # "Updated 14 July 2017 | Published 12 July 2017": the published one
        said = _PUBLISHED_AT.split(line, maxsplit=1)[-1]
        said = _UPDATED.split(said, maxsplit=1)[0]
        if is_dateline(line) and (shown := find_date(said)):
            numbers = _NUMERIC_DATE.search(said)
            if numbers is None or weekday_reading(line):  # "Sunday, 04-12-2016" reads one way
                return shown, False
            return shown, numbers[1] != numbers[2] and int(numbers[2]) <= 12
    return None, False


# "Posted on April 20, 2021 by Lena Sorel in Transport", "DRAVA, March 15 — By Petra Lang"
# ... or "Author: Chase Winter", "Author Chase Winter" (a list of the story's particulars)
_BYLINE = re.compile(
    r"(?:\b[Bb]y:?|^(?:[Aa]uthor|AUTHOR)\s*:?|^(?i:reporter|writer|words|text|story)\s*:)"
    r"\s+([A-Z][\w'’.-]+(?:\s+(?!(?i:editor|photos?|photographer)\b)[A-Z][\w'’.-]+){0,2})"
)
_AUTHOR_TAG = re.compile(
    r"<meta\s[^>]*?name=[\"']author[\"'][^>]*?content=(?:\"(?P<double>[^\"]{1,100})\""
    r"|'(?P<single>[^']{1,100})')",
    re.I,
)
_TRAILING_MONTH = re.compile(
    # not May, June, April or August, which are names too ("Theresa May")
    r"\s+(?:January|February|March|July|September|October|November|December"
    r"|Jan|Feb|Mar|Jul|Sep|Sept|Oct|Nov|Dec)\.?$"
)
_SITE_CREDIT = re.compile(r"\b(?:powered|theme|designed|developed|built|hosted) by\b", re.I)
_SITE_SEPARATOR = re.compile(r"\s+(?:[|»]|::)\s+")
# A section's label above the story ("ENERGY", "HUMANITARIAN »"): a word or three in
# capitals, or ending in a pointer
_LABEL = re.compile(r"^(?:[^\W\d_a-z]+(?:[ &/-]+[^\W\d_a-z]+){0,2}|\w+(?: \w+){0,2}\s*[»›>])$")
HEADLINE_WITHIN = 5  # lines at the top of the text where the headline may stand again
HEAD_CHARS = 65_536  # where a page's <title> is looked for
# What a page's <title> may hold instead of an outlet's name.
_PAGE_NAMES = frozenset({"home", "homepage", "home page", "index", "untitled", "welcome"})
_UPDATED = re.compile(r"\b(?:updated|modified|edited)\b", re.I)
_PUBLISHED_AT = re.compile(r"\b(?:published|posted|first published)\b", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-]\d{4}\b")
_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([\w-]+)", re.I)


def _byline(lines: list[str]) -> str | None:
    """The author named in a byline: a short line near the top saying "by <Name>"."""
    for line in lines[:40]:
        if _SITE_CREDIT.search(line):  # "Theme by ThemeGrill. Powered by WordPress"
            continue
        found = _BYLINE.search(line)
        if found and len(line.split()) <= 14:
            return None if _NO_ONE.fullmatch(found[1]) else found[1]
    return None


def _credited(lines: list[str]) -> str | None:
    """The reporter a wire story's credit line names, among its last lines."""
    found = next(filter(None, (_CREDITED.match(line) for line in lines[-4:])), None)
    return " and ".join(filter(None, found.groups())) if found else None


def _page_title(html: str) -> str | None:
    """The text of the page's <title>. Bounded: the head of the page only, and a title
    of no more than 500 characters (a page of many unclosed <title> tags must not cost
    time squared in its length)."""
    found = re.search(r"<title[^>]{0,200}>([^<]{0,500})</title>", html[:HEAD_CHARS], re.I)
    return " ".join(unescape(found.group(1)).split()) if found else None


def _beside_site_name(title: str, html: str) -> str:
    """The headline, where trafilatura took the site's name out of the page's <title>
    ("Rafidain Daily" of "Rafidain Daily - Baghdad residents wade across the Tigris"):
    the longest other part of it, of more than three words."""
    page_title = _page_title(html) or ""
    others = headline_parts(page_title) - {title}
    if len(title.split()) > 3 or title not in TITLE_SEPARATOR.split(page_title) or not others:
        return title
    return max(others, key=len)


def _outlet(html: str, headline: str) -> str | None:
    """The outlet named beside the headline in the page's <title> ("Headline | Outlet",
    "Outlet - Headline"), or standing alone there: the end of the title that is not the
    headline's words and reads as a name."""
    title = _page_title(html)
    if not title:
        return None
    if title == headline:
        # The page's headline is its <title> whole: only a bar, "::" or "»" sets an
        # outlet apart in it ("Iraq - Turkey water talks stall" is a headline)
        parts = _SITE_SEPARATOR.split(title)
        if len(parts) < 2:
            return None
        beside = ((parts[-1], " ".join(parts[:-1])), (parts[0], " ".join(parts[1:])))
        return next((end for end, rest in beside if _names_an_outlet(end, rest)), None)
    parts = TITLE_SEPARATOR.split(title)
    ends = (parts[-1], parts[0]) if len(parts) > 1 else (title,)
    return next((end for end in ends if _names_an_outlet(end, headline)), None)


def _host_named(lines: list[str], host: str | None, html: str) -> str | None:
    """The outlet's name as the page's copyright line, its logo's alternative text or
    its microdata give it, if it is the name the page's host spells ("© 2018 Southern
    Iraq Monitor" on southerniraqmonitor.org, not a photo agency's "© Getty Images";
    ``<img alt="Nineveh Today">`` on ninevehtoday.com)."""
    if not host:
        return None
    label = host.casefold().removeprefix("www.").split(".")[0]
    shown = (unescape(alt or item) for alt, item in _NAMED_IN_MARKUP.findall(html))
    for name in chain(copyright_holders(lines), shown):
        spelled = re.sub(r"[^a-z0-9]", "", name.casefold().removeprefix("the "))
        if spelled and spelled == label:
            return name
    return None


# A name the markup gives: an image's alternative text, a microdata item's name
_NAMED_IN_MARKUP = re.compile(
    r"<img\s[^>]*?\balt=[\"']([^\"'<>]{2,60})[\"']|\bitemprop=[\"']name[\"'][^>]*?"
    r"\bcontent=[\"']([^\"'<>]{2,60})[\"']",
    re.I,
)


def _names_an_outlet(text: str, headline: str) -> bool:
    """Whether a piece of a page's <title> reads as an outlet's name: a few capitalised
    words ("The Guardian", "Times of India"), mostly not the headline's ("Tigris falls to
    a low" is the headline shortened), and not a page's ("Home", "live updates")."""
    words = text.split()
    if not 1 <= len(words) <= 5 or text.lower() in _PAGE_NAMES:
        return False
    if any(word[0].islower() and len(word) > 3 for word in words) or not words[0][0].isupper():
        return False
    terms = set(content_terms(text))
    return len(terms & set(content_terms(headline))) * 2 <= len(terms)


# Who a byline names when it names no person: the site's software account, or a desk
_NO_ONE = re.compile(
    r"(the )?(admin(istrator)?|webmaster|editors?|user|(news|web|online|digital|foreign)"
    r" ?desk|newsroom|(our )?staff( writers?| reporters?)?|editorial( team| staff| board)?"
    r"|news (team|staff|service)|(our |agency )?correspondents?|agencies|wires"
    r"|.* (wire service|news agency|press agency|news service))",
    re.I,
)
# What a byline carries after the name ("Nour Sabbagh · Published 28 March")
_AFTER_NAME = re.compile(r"\s+[·|•]\s*(published|updated|posted)\b.*$", re.I)
# A wire story's credit line names its reporter: "(Reporting by Karim Nassar; Editing by …)"
_PERSON = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}"
_CREDITED = re.compile(  # ... and others, each perhaps where they reported from
    rf"^\(?(?i:additional )?(?i:reporting|writing) by ({_PERSON})"
    rf"(?:(?:\s+in\s+[A-Z][\w'’ -]+?)?(?:,\s*|\s+and\s+)({_PERSON}))?"
)
# An author in a scholarly tag, surname first ("Marchetti, Helen"), which trafilatura
# gives split at the comma ("Marchetti; Helen; Baban; Aras")
_CITED_AUTHOR = re.compile(
    r"<meta\s[^>]*?name=[\"']citation_author[\"'][^>]*?content=[\"']([^\"',]+),\s*([^\"',]+)[\"']",
    re.I,
)


def _author(value: str | None, outlet: str | None, html: str) -> str | None:
    """The author the page's metadata names, unless it names no one: an account of the
    site's software ("Admin"), or the outlet itself, or part of its name ("Kurdistan"
    of "Kurdistan24", which trafilatura reads out of a byline that gives the outlet).
    A name trafilatura cut at an apostrophe ("Bassam Za'za'" as "Bassam Za") is taken
    whole from the page's author tag."""
    value = _AFTER_NAME.sub("", _TRAILING_MONTH.sub("", value or ""))  # "… ISSA July 20"
    value = _clean(value)
    if value is None or _NO_ONE.fullmatch(value):
        return None
    if cited := _CITED_AUTHOR.findall(html[:HEAD_CHARS]):
        inverted = "; ".join(part.strip() for pair in cited for part in pair)
        if value == inverted:  # "Marchetti; Helen": "Helen Marchetti"
            return "; ".join(f"{given.strip()} {surname.strip()}" for surname, given in cited)
    tagged = _AUTHOR_TAG.search(html[:HEAD_CHARS])
    whole = unescape(tagged["double"] or tagged["single"] or "").strip() if tagged else ""
    if whole.startswith(value) and whole[len(value) : len(value) + 1] in ("'", "’"):
        value = whole
    # "Baghdad - Asharq Al-Awsat": the place reported from, then who
    if " " not in value and (placed := _PLACE_THEN_NAME.search(html)) and placed["place"] == value:
        value = placed["name"].strip()
    if _NO_ONE.fullmatch(value) or _is_outlet(value, outlet):
        return None
    if re.search(r"\b[A-Z]$", value) and f"{value}." in html:  # "Nadia K." cut at its stop
        value += "."
    return value


# A byline that gives the place reported from before the reporter or the outlet
# ("<span class="author">الموصل - علي حسين</span>", "Baghdad - Asharq Al-Awsat"),
# which trafilatura cuts to the place
_PLACE_THEN_NAME = re.compile(
    r"class=[\"'][^\"']*\bauthor\b[^\"']*[\"'][^>]*>\s*(?P<place>[^\s<>]+)\s+[-–—]\s+"
    r"(?P<name>[^<>]{2,60}?)\s*<"
)


def _is_outlet(value: str, outlet: str | None) -> bool:
    """The outlet's name or its beginning ("Kurdistan" of "Kurdistan24")."""
    if not outlet:
        return False
    return outlet.casefold().replace(" ", "").startswith(value.casefold().replace(" ", ""))


def _site_name(value: str | None) -> str | None:
    """The outlet's name, unless all trafilatura found is a host name ("news.example")."""
    value = _clean(value)
    return None if value is None or re.fullmatch(r"[\w.-]+\.[\w-]+(:\d+)?", value) else value


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None
