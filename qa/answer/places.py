"""Questions asking where, and whether a text tells a place.

In: a question. Out: whether it asks for a place ("where was he speaking from?"). In: a
text (an answer's sentence with its neighbours) and what the asker already knows. Out:
whether the text tells a place the asker has not named. A "where" question is not
answered by a sentence that names its people and its city but no place for what is
asked ("Where was al-Baghdadi hiding?" against "Mosul is where al-Baghdadi proclaimed
the caliphate"). Places in news are told by name ("in Erbil"), by a point of the compass
("east of Mosul", "the city's southern limits") or by a kind of place ("in a school
house", "amongst the civilian population"); a name alone may be a people's, as an
adjective ("the Iraqi part"), or a month ("in June 2014"). These are read by pattern,
as the rest of a question's kind is (``qa.answer.answer_type``).
"""

from __future__ import annotations

import calendar
import re

from qa.answer.answer_type import CLAUSE, SOURCE_NOUNS
from qa.text.equivalents import country_of

# "Where was he speaking from?", "… and where did they push next?": a place is asked
# for; not by "where can I read more", "where did you get that", "where do the articles
# say it" (the sources) or "where do things stand" (how far something has got).
_WHERE = re.compile(
    CLAUSE + r"where\b(?!\W+(?:(?:can|could|do|does|did|should)\s+(?:i|you|we)\b|"
    r"(?:do|does|did|is|are)\s+(?:the|these|this|that|those|it)\s+(?:\w+\s+)?"
    rf"(?:{SOURCE_NOUNS})\b|"
    r"(?:[\w'-]+\s+){0,4}stand(?:s|ing)?\b))",
    re.I,
)
_COMPASS = re.compile(
    r"(?<![\w-])(?:north|south|east|west)(?:ern|ward|wards)?(?:[- ]?(?:east|west)(?:ern)?)?"
    r"(?![\w-])",
    re.I,
)
_PLACE_KINDS = re.compile(
    r"(?<![\w-])(?:school|houses?|rooftops?|roofs?|outskirts|front|frontline|border|limits|"
    r"side|bank|neighbou?rhoods?|districts?|areas?|camp|road|underground|ground|building|"
    r"hospital|mosque|street|square|base|airport|population|province|region)(?![\w-])",
    re.I,
)
# A name after a word of place, and the word after the name, if in lower case.
_AT_NAME = re.compile(
    r"\b(?i:in|at|near|from|into|inside|outside|to|towards?|around|across|along|of|on|"
    r"amongst|among|within|beyond|through)\s+(?:(?:the|a|an|adjacent|neighbou?ring|"
    r"nearby|town|city|village|district|area|of)\s+){0,3}([A-Z][\w’'-]*|al-[A-Z][\w’'-]*)"
    r"(\s+[a-z]\w*)?"
)
# Lower-case words that may follow a place's name ("Albu Kamal and Husseibeh", "Jawsaq
# neighborhood"); any other makes a people's name an adjective ("Iraqi part").
_AFTER_PLACE = frozenset({"and", "of", "in", "on", "at", "near", "neighborhood", "neighbourhood"})
_DAYS_AND_MONTHS = frozenset(w.lower() for w in (*calendar.day_name, *calendar.month_name) if w)
_WORD = re.compile(r"[\w’'-]+")


def asks_where(question: str) -> bool:
    """Whether the question asks for a place (``_WHERE``)."""
    return bool(_WHERE.search(question))


def gives_place(text: str, known: str) -> bool:
    """Whether the text tells a place that ``known`` (the question, with the exchange
    before it) does not: a point of the compass, a kind of place, or a name after a word
    of place that is neither a month nor a people's name used as an adjective."""
    words = {w.lower() for w in _WORD.findall(known)}
    for pattern in (_COMPASS, _PLACE_KINDS):
        if any(m.group(0).lower() not in words for m in pattern.finditer(text)):
            return True
    for m in _AT_NAME.finditer(text):
        name, after = m.group(1), (m.group(2) or "").strip()
        if name.lower() in words or name.lower() in _DAYS_AND_MONTHS:
            continue
        if not (country_of(name) and after and after not in _AFTER_PLACE):
            return True
    return False
