"""Pull a news article out of a web page: its main text, headline, author, outlet, date.

In: a page's HTML (and its URL, when it was fetched). Out: an ``Article``, or None when
the page holds no article text. trafilatura finds the main text (leaving out navigation,
cookie banners, comment forms, related-story lists, share bars and footers) and reads the
title, author and outlet from the page's metadata (Open Graph, JSON-LD, meta tags,
bylines); htmldate finds the date of first publication (not a "last updated" time) in
metadata, markup, the URL or the text. Plain-text files keep their own cleaner
(``clean.py``), which knows the debris of text saved from pages.
"""

from __future__ import annotations

import logging
import re
from html import unescape
from typing import Any

import htmldate
import trafilatura

from qa.ingest.parse import to_plain_text
from qa.types import Article

# trafilatura and htmldate explain every guess at INFO level.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def extract_html_article(source: str, html: str, url: str | None = None) -> Article | None:
    """The article in ``html``; None if trafilatura finds no main text in it."""
    found: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
    )
    if found is None or not (found.text or "").strip():
        return None
    title = (found.title or "").strip()
    lines = [line.strip() for line in found.text.splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the headline, repeated at the top of the text
    body = "\n\n".join(lines)
    if not body:
        return None
    published = htmldate.find_date(html, url=url, original_date=True, outputformat="%Y-%m-%d")
    visible = [line for line in to_plain_text(html, ".html").splitlines() if line.strip()]
    return Article(
        source=source,
        title=title or source,
        body=body,
        published=published or found.date or None,
        author=_clean(found.author) or _byline(visible),
        publisher=_site_name(found.sitename) or _outlet(html, title) or _clean(found.hostname),
    )


# "Posted on April 20, 2021 by Lena Sorel in Transport", "DRAVA, March 15 — By Petra Lang"
_BYLINE = re.compile(r"\b[Bb]y\s+([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})")
HEAD_CHARS = 65_536  # where a page's <title> is looked for
_TITLE_SEPARATOR = re.compile(r"\s+[|—–-]\s+")


def _byline(lines: list[str]) -> str | None:
    """The author named in a byline: a short line near the top saying "by <Name>"."""
    for line in lines[:40]:
        found = _BYLINE.search(line)
        if found and len(line.split()) <= 14:
            return found.group(1)
    return None


def _outlet(html: str, headline: str) -> str | None:
    """The outlet named beside the headline in the page's <title> ("Headline | Outlet"),
    or standing alone there."""
    # Bounded: the head of the page only, and a title of no more than 500 characters (a
    # page of many unclosed <title> tags must not cost time squared in its length).
    found = re.search(r"<title[^>]{0,200}>([^<]{0,500})</title>", html[:HEAD_CHARS], re.I)
    if not found:
        return None
    parts = _TITLE_SEPARATOR.split(unescape(found.group(1)).strip())
    outlet = parts[-1].strip()  # a <title> of the site's name alone counts too
    if outlet and outlet != headline and len(outlet.split()) <= 5:
        return outlet
    return None


def _site_name(value: str | None) -> str | None:
    """The outlet's name, unless all trafilatura found is a host name ("news.example")."""
    value = _clean(value)
    return None if value is None or re.fullmatch(r"[\w.-]+\.[\w-]+(:\d+)?", value) else value


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None
