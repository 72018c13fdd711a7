"""Questions asked of an article's byline: who wrote it, who ran it, when it came out.

In: a question. Out: which part of the byline it asks for ("author", "outlet",
"published"), or None, and the question without the words that ask it. The answer is
the article's metadata, not its sentences (``ExtractiveAnswerer.byline_quotes``).
"""

from __future__ import annotations

import re

# A title in quotes ("the 'Coalition huddles' piece"), straight or curly.
QUOTED_TITLE = r"['‘\"“][^'’\"”]{1,100}['’\"”]"
# "Who wrote the piece on …?", "which outlet ran it?": the article's byline is asked for,
# which its metadata gives, not its sentences. The object must be the article itself
# ("who wrote the letter" asks what the article reports).
_AN_ARTICLE = (
    r"(it|this|that|the (\S+ ){0,4}?(article|piece|story|report|item|post|op-ed|one|coverage)"
    r"|(this|that) (\S+ ){0,3}?(article|piece|story|report)"
    r"|(\S+ ){0,2}?\S+['’]s (\S+ ){0,3}?(article|piece|story|report|post|op-ed|video)"
    rf"|the (\S+ )?{QUOTED_TITLE} (article|piece|story|report|post|video))\b"
)


def _about_it(n: int) -> str:
    """What may stand between the article and what is asked of it, as group
    ``about<n>``: its title or what it is about ("the piece on the fightback", "the
    report 'Coalition huddles …'"). It says which article, and stays the question's."""
    return rf"(?P<about{n}>\s+{QUOTED_TITLE}|\s+(on|about|titled|called)\s+[^?]{{1,60}}?)?"


_PUBLISHED = r"(published|written|posted|put out|released|run|filed|out)"
_BYLINE = {
    "author": re.compile(
        rf"\bwho (wrote|authored|penned) {_AN_ARTICLE}|\bwho('s| is| was) the (author|writer|"
        rf"reporter|journalist)\b|\b(author|writer|byline) (of|on|for) {_AN_ARTICLE}|"
        r"\bwhose (article|piece|story|report)\b",
        re.I,
    ),
    "outlet": re.compile(
        r"\b(which|what) (news )?(outlet|site|website|newspaper|paper|publication|magazine) "
        rf"(published|ran|carried|put out|printed) {_AN_ARTICLE}|\bwho (published|ran) "
        rf"{_AN_ARTICLE}|\bwhere (was|did) {_AN_ARTICLE} (published|run|appear)\b",
        re.I,
    ),
    "published": re.compile(
        rf"\bwhen (was|were|is) {_AN_ARTICLE}{_about_it(1)} {_PUBLISHED}\b"
        rf"|\b(what|which) (date|day) (was|were|is|did) {_AN_ARTICLE}{_about_it(2)} "
        rf"({_PUBLISHED}|come out|appear|go up)\b"
        rf"|\bwhen did {_AN_ARTICLE}{_about_it(3)} (come out|appear|run|go up)\b"
        rf"|\b(what|which) date (is|was) (on|given for) {_AN_ARTICLE}"
        rf"|\b(publication )?date of {_AN_ARTICLE}",
        re.I,
    ),
}


def without_byline_words(question: str) -> str:
    """The question without the words that ask for a byline ("who wrote the piece about
    the repairs?" keeps "about the repairs"): they say what to give, not what about."""
    for pattern in _BYLINE.values():
        question = pattern.sub(_what_it_is_about, question)
    return question


def _what_it_is_about(asked: re.Match[str]) -> str:
    """What a byline question says its article is about ("the piece about the repairs")."""
    about = (v for k, v in asked.groupdict().items() if k.startswith("about") and v)
    return f" {next(about, '')} "


def asks_for_byline(question: str) -> str | None:
    """What of an article's byline the question asks for: "author" ("who wrote the piece
    on …?"), "outlet" ("which site ran it?"), "published" ("when did the piece come
    out?"), or None."""
    return next((asked for asked, pattern in _BYLINE.items() if pattern.search(question)), None)
