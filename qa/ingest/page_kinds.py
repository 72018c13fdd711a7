"""Tell a page that holds no article from one that does, once its text has been read.

In: the headline and story read from a saved or fetched web page, and the page's HTML.
Out: why the page is no article (a missing page served as found, a cookie or consent
notice, a wall asking its reader to sign in, a menu or a list of stories, a notice that
the article has moved, a video's, podcast episode's, gallery's or topic's page), or
None. The rules are measured on the hand-written pages of tests/data/news-pages: each
is a page kind trafilatura reads text from, since it cannot know the text is not a
story.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from qa.ingest.formats import to_plain_text
from qa.ingest.tables import squeezed

# The title of a missing page ("404", "Error 404 | Courier", "Page not found"), which some
# sites serve with a 200
_NOT_FOUND = re.compile(
    r"(error\s*)?404(\s*(error|not found))?\s*([|:–—-].*)?$|(page|article|content) not found\b",
    re.I,
)


# The title of a page listing stories: search results, a tag's, topic's, category's or
# month's archive ("Search results for "mosul"", "Tag: Mosul", "Archive: March 2017")
_LISTING = re.compile(
    r"(search results?|you searched for|results for|archives?|tag|tagged|topic|category"
    r"|posts tagged|stories tagged|articles tagged)\b\s*(for\b|:|[\"“'‘])",
    re.I,
)
LISTING_BODY_WORDS = 300  # a story under such a title would be longer


def why_not_article(title: str, body: str, html: str) -> str | None:
    """Why the page whose text was read as ``title`` and ``body`` holds no article, or
    None when it does."""
    if _NOT_FOUND.match(title):
        return "the page says it was not found (a missing page served as found)"
    if _LISTING.match(title) and len(body.split()) < LISTING_BODY_WORDS:
        return (
            f"the page is a list of stories ({title!r}), not an article; give the "
            "article's own page"
        )
    if is_consent_wall(body, html):
        return (
            "the page is a cookie or consent notice, not the article (it was saved or "
            "fetched before the notice was accepted); save the page after accepting it, "
            "or give the article's text"
        )
    if is_sign_in_wall(body):
        return (
            "the page asks its reader to sign in or subscribe, and holds no article "
            "text; save the page while signed in, or give the article's text"
        )
    soup = BeautifulSoup(html, "html.parser")
    if moved_to := redirect_target(body, soup):
        return f"the page says the article has moved, to {moved_to}; give that address"
    links = link_texts(soup)
    if is_link_list(body, soup, links) or is_index_page(body, links):
        return (
            "the page's text is its links (a menu or a list of stories), not an article; "
            "give the article's own page"
        )
    if kind := page_kind(body, html, links):
        return f"the page is a {kind}, with no article text of its own; give a story's page"
    return None


# What a consent wall says ("If you click 'Accept all', we and our partners … use
# cookies"); an article with a cookie banner says it too, but has a story beside it.
_CONSENT = tuple(
    re.compile(p, re.I)
    for p in (
        r"\baccept all\b|\baccept (all )?cookies\b|\bi (agree|accept)\b",
        r"\breject all\b|\bdecline (all|cookies)\b",
        r"\bmanage (privacy |cookie |your )?(settings|preferences|choices|options)\b",
        r"\b(we and|and) our (\d+ )?(partners|vendors)\b",
        r"\bconsent\b",
        r"\b(use|uses|using) cookies\b|\bcookie policy\b",
        r"\bpersonal data\b|\bprecise geolocation\b",
    )
)
CONSENT_SIGNS = 3  # of those, at least this many in a page ...
CONSENT_BODY_WORDS = 80  # ... whose text, but for paragraphs saying them, is shorter
# What a wall asking the reader to sign in or pay says, above where the story would be
_SIGN_IN = re.compile(
    r"\b(?:(?:sign|log) ?in|subscribe) to (?:continue|keep) reading\b"
    r"|\bsubscribers? only\b|\bsubscriber(?:-only)? content\b",
    re.I,
)
SIGN_IN_BODY_WORDS = 150  # a page shorter than this, opening on such a wall, has no story


def is_consent_wall(body: str, html: str) -> bool:
    """The page is a cookie or consent notice shown instead of the article (a page
    fetched or saved before its reader accepted): little text is left but for what the
    notice says ("… and our 187 partners store and/or access information …"), and the
    page says what such notices say."""
    told = [p for p in body.splitlines() if not any(sign.search(p) for sign in _CONSENT)]
    if len(" ".join(told).split()) >= CONSENT_BODY_WORDS:
        return False
    shown = to_plain_text(html, ".html")
    return sum(bool(sign.search(shown)) for sign in _CONSENT) >= CONSENT_SIGNS


def is_sign_in_wall(body: str) -> bool:
    """The page is a wall asking its reader to sign in or subscribe, with no story
    before it (a teaser's first paragraphs above a paywall are a story, and are kept)."""
    opening = [p for p in body.splitlines() if p.strip()][:2]
    return len(body.split()) < SIGN_IN_BODY_WORDS and any(_SIGN_IN.search(p) for p in opening)


_LIST_MARK = re.compile(r"^(?:[-*•·]|\d+[.)])(?=\S)")  # as a squeezed list item starts
LINKS_SHARE = 0.5  # of a page's text, past which it is a list of links, not an article
_LINK_END = object()


def is_link_list(body: str, soup: BeautifulSoup, links: list[str]) -> bool:
    """The text read from a page is mostly the text of its links: a menu, a section
    front or a list of stories (trafilatura gives those when a page has no article), not
    a story to quote. Counted by the body's lines that are one link's text, a short
    body that is the page's links run together ("HomeSign in"), and a body made mostly
    of the lines under linked headlines (a section front's teasers)."""
    if not links:
        return False
    link_lines = [squeezed(link) for link in links]
    known = set(link_lines)
    lines = [squeezed(line) for line in body.splitlines()]
    total = sum(len(line) for line in lines)
    linked = sum(len(line) for line in lines if _LIST_MARK.sub("", line) in known)
    if total and linked >= LINKS_SHARE * total:
        return True
    whole = "".join(lines)
    if 0 < len(whole) < 200 and whole in "".join(link_lines):
        return True
    shown = set(lines)
    blurbs = [blurb for blurb in _teaser_blurbs(soup) if blurb in shown]
    return len(blurbs) >= TEASERS and sum(map(len, blurbs)) >= LINKS_SHARE * total


INDEX_BODY_WORDS = 50  # a text this short on a page ...
INDEX_LINK_SHARE = 4  # ... whose links say this many times as many words is an index


def is_index_page(body: str, links: list[str]) -> bool:
    """A line or two of text on a page that is all links: an archive's calendar, a tag
    page or a video player's rail ("Browse every story we published, by day"). A short
    story stands beside the page's menu and footer: a breaking stub of 27 words on a
    page whose links say 43."""
    words = len(body.split())
    linked = sum(len(link.split()) for link in links)
    return words < INDEX_BODY_WORDS and linked >= INDEX_LINK_SHARE * words


REDIRECT_BODY_WORDS = 80  # a page this short that sends its reader on is only a notice


def redirect_target(body: str, soup: BeautifulSoup) -> str | None:
    """The address a short page sends its reader on to (``<meta http-equiv="refresh"
    content="5; url=…">``: "This page has moved"), or None. A live page that reloads
    itself names no address, and a story long enough to read is kept wherever it points."""
    if len(body.split()) >= REDIRECT_BODY_WORDS:
        return None
    for meta in soup.find_all("meta"):
        if str(meta.get("http-equiv", "")).lower() == "refresh":
            target = _REFRESH_URL.search(str(meta.get("content", "")))
            if target:
                return target[1].strip("'\"")
    return None


_REFRESH_URL = re.compile(r"\burl\s*=\s*(\S+)", re.I)
# What a page that is not an article says it is (schema.org's types in JSON-LD or
# microdata, Open Graph's og:type), and the kind of page each type names
_PAGE_TYPES = {
    "videoobject": "video",
    "podcastepisode": "podcast episode",
    "audioobject": "podcast episode",
    "radioepisode": "podcast episode",
    "imagegallery": "photo gallery",
    "mediagallery": "photo gallery",
    "collectionpage": "list of stories",
    "searchresultspage": "list of search results",
    "profilepage": "profile",
}
_PAGE_TYPE = re.compile(
    rf"[\"'/]({'|'.join(_PAGE_TYPES)})[\"']|og:type[\"']?\s+content=[\"']?(video|music)\.", re.I
)
_ARTICLE_TYPE = re.compile(r"[\"'/]\w*(Article|BlogPosting|Report)[\"']|og:type[^>]*article", re.I)
OWN_BODY_WORDS = 80  # words, but for lines that are links, of such a page's own notes


def page_kind(body: str, html: str, links: list[str]) -> str | None:
    """The kind of page ("video", "podcast episode", "photo gallery", "list of
    stories" …) when the page says it is one, says nothing of an article, and has only a
    few lines of its own beside its player, pictures or list: a topic page's blurb, a
    gallery's counter and credit, an episode's notes. A video's page with its transcript
    written out is read as a story."""
    found = _PAGE_TYPE.search(html)
    if found is None or _ARTICLE_TYPE.search(html):
        return None
    known = [squeezed(link) for link in links]
    own = [line for line in body.splitlines() if not _mostly_link(squeezed(line), known)]
    if len(" ".join(own).split()) >= OWN_BODY_WORDS:
        return None
    if found[2]:
        return "video" if found[2].lower() == "video" else "podcast episode"
    return _PAGE_TYPES[found[1].lower()]


def _mostly_link(line: str, links: list[str]) -> bool:
    """The line is one link's text, with at most as much again beside it (a list's
    "- Ep. 46: The Turkish offensive, one week in · 41 min")."""
    return any(link in line and 2 * len(link) >= len(line) for link in links if link)


TEASERS = 3  # linked headlines, each with its line of summary, that make a list of stories


def _teaser_blurbs(soup: BeautifulSoup) -> list[str]:
    """The line under each headline that is wholly a link to another page (a section
    front's teasers: "<h2><a href=…>Iraq declares victory …</a></h2><p>Prime minister
    …</p>"), squeezed as ``is_link_list`` compares lines."""
    blurbs = []
    for heading in soup.find_all(["h2", "h3", "h4"]):
        link = heading.find("a", href=True)
        if link is None or link.get_text(strip=True) != heading.get_text(strip=True):
            continue
        after = heading.find_next(["p", "div"])
        text = after.get_text(" ", strip=True) if after is not None else ""
        if text:
            blurbs.append(squeezed(text))
    return blurbs


def link_texts(soup: BeautifulSoup) -> list[str]:
    """The text of each outermost link on the page, in order, navigation included.
    One walk with a stack of its own, as ``parse._html_to_text`` (links nested in links,
    which html.parser keeps, would otherwise be read again at every level)."""
    links: list[str] = []
    parts: list[str] = []
    depth, start = 0, 0
    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if node is _LINK_END:
            depth -= 1
            if not depth:
                links.append("".join(parts[start:]))
        elif isinstance(node, NavigableString):
            if depth and type(node) is NavigableString:
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name not in ("script", "style", "template"):
            if node.name == "a":
                if not depth:
                    start = len(parts)
                depth += 1
                stack.append(_LINK_END)
            stack.extend(reversed(node.contents))
    return [link for link in links if link.strip()]
