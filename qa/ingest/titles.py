"""A page's title and the headline in it: the site's name beside the headline ("Headline |
Outlet"), and the headline standing again below a saved page's title bar.

In: a page's title, or the lines of a text saved or copied from a browser. Out: the
headline without the site's name, and where the text's own headline stands.
"""

from __future__ import annotations

import re

# What sets a site's name apart from the headline in a page's title ("Headline | Outlet",
# "Headline :: Outlet", "Outlet » Headline")
TITLE_SEPARATOR = re.compile(r"\s+(?:[|—–»-]|::)\s+")
HOST_NAME = re.compile(r"(?:www\.)?(?:[a-z0-9-]+\.)+[a-z]{2,12}", re.I)


def headline_parts(title: str) -> set[str]:
    """The parts of a page's title that may be its headline: those of more than three
    words between the separators that set a site's name apart ("Outlet - Headline")."""
    return {part for part in TITLE_SEPARATOR.split(title) if len(part.split()) > 3}


def without_site_name(title: str, outlet: str | None) -> str:
    """The headline in a page's title without the site's name beside it: an end that is
    a host name ("… - CNN.com", "… | Rudaw.net") or the outlet's name (``outlet``, as
    the page names it elsewhere). "Iraq - Turkey water talks stall" stays whole."""
    separators = list(TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title
    last, first = separators[-1], separators[0]
    if _is_site_name(title[last.end() :], outlet):
        return title[: last.start()]
    if _is_site_name(title[: first.start()], outlet):
        return title[first.end() :]
    return title


def _is_site_name(text: str, outlet: str | None) -> bool:
    text = text.strip()
    if HOST_NAME.fullmatch(text):
        return True
    if outlet is None:
        return False
    # the outlet's name, or a few words that begin with it ("BBC News" of "BBC")
    key, name = _name_key(text), _name_key(outlet)
    return key == name or (key.startswith(name + " ") and len(text.split()) <= 3)


def _name_key(name: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(name.split()).casefold())


HEADLINE_AGAIN_WITHIN = 5  # lines below a saved page's title where its headline may stand
HEADLINE_WITHIN = 40  # lines at the top of a copied page where its headline may stand


def headline_standing_again(lines: list[str]) -> tuple[str | None, str | None]:
    """A page saved as text or Markdown may begin with its title ("Headline | Outlet")
    above the page, whose headline then stands again a few lines down. What lies
    between (the page's description, a breadcrumb) is no part of the story: blanked,
    with the title, so that the headline is read where it stands again. Returns that
    headline and the site's part of the title when it names no host ("| Crossroads
    Weekly"); (None, None) for any other text."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return None, None
    parts = [part.strip() for part in TITLE_SEPARATOR.split(lines[first])]
    headlines = headline_parts(lines[first])
    below = [i for i in range(first + 1, len(lines)) if lines[i]][:HEADLINE_AGAIN_WITHIN]
    again = next((i for i in below if lines[i] in headlines), None)
    if len(parts) < 2 or again is None:
        _above_headline_shown_twice(lines)
        return None, None
    site = " ".join(part for part in parts if part != lines[again])
    lines[first:again] = [""] * (again - first)
    return lines[again], None if HOST_NAME.fullmatch(site) or len(site.split()) > 4 else site


def _above_headline_shown_twice(lines: list[str]) -> None:
    """A page copied from a browser may show its headline twice, above the byline and
    again above the story ("Duhok bets on tourism" / "May 2, 2018 by Shilan Rashid" /
    "Duhok bets on tourism"): what stands above the first (the site's name twice, its
    slogan, its menu, the section) is the page's, and the second is no part of the story;
    both are blanked. A line counts as the headline when it has more than three words and
    no full stop at its end, and no paragraph of prose stands above it."""
    shown = [i for i, line in enumerate(lines) if line][:HEADLINE_WITHIN]
    for n, i in enumerate(shown):
        line = lines[i]
        if is_prose(line):
            return
        if len(line.split()) <= 3 or line.endswith("."):
            continue
        again = next(
            (j for j in shown[n + 1 : n + 1 + HEADLINE_AGAIN_WITHIN] if lines[j] == line), None
        )
        if again is not None:
            lines[:i] = [""] * i
            lines[again] = ""
            return


def is_prose(line: str) -> bool:
    """A paragraph of the story, not a headline: a headline may ask ("Will Mosul fall
    before summer?") or end on a quote; a paragraph ends on a full stop."""
    return len(line.split()) >= 8 and line.endswith((".", '."', ".”", ".’"))
