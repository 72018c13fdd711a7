"""What someone does that a question asks about, and whether a text says so.

In: a question. Out: the role it asks of the person it is after ("Who leads …?" →
"leads"), or, for any question, whether it asks what was agreed or why someone withdrew;
whose role it is ("the commander of the Syria Democratic Forces"). In: a text (an
answer's sentence, with the one before it). Out: whether it states that role and names
whose role it is. A name given for one role does not answer for another (a spokesman is
no leader), nor does "the ministers met" answer "what did they agree?". A question asking
only who someone is ("who's Haider al-Abadi?") is answered by a sentence giving their
title or office beside their name.
"""

from __future__ import annotations

import re

from qa.answer.answer_type import SOURCE_NOUNS, AnswerType, expected_answer_type
from qa.text.equivalents import country_of
from qa.text.terms import content_terms, initialisms, stopwords

# The roles, each read in any word for it; agreeing and giving up are read in the question
# as in the answer.
_PROMISED = r"agree|decid|pledg|promis|vow"
_GAVE_UP = r"withdr|retreat|quit|abandon|refus|reject|den(?:y|i)|cancel|resign"
ROLES = {
    "leads": re.compile(
        r"\b(lead(s|er|ers|ing)?|led|head(s|ed|ing)?|chief|command(s|ed|er|ers|ing)?|"
        r"in charge|run(s|ning)?|ran|boss)\b",
        re.I,
    ),
    "founded": re.compile(r"\b(found(ed|er|ers|ing)|establish(ed|es)?|set up|created)\b", re.I),
    "speaks": re.compile(r"\bspokes(man|men|woman|women|person|people)\b", re.I),
    "agreed": re.compile(rf"\b({_PROMISED}|decision|commit|resol)\w*", re.I),
    "withdrew": re.compile(rf"\b({_GAVE_UP}|pull\w* (out|back)|los[est]|left)\w*", re.I),
}
_EVENT_ASKED = re.compile(
    r"\b(?:what|why|when|how)\b[^?]{0,80}?\b(?:did|do|does|has|have|had)\b[^?]{0,60}?\b(?:"
    rf"(?P<agreed>{_PROMISED})|(?P<withdrew>{_GAVE_UP}|pull\w* out|lose))",
    re.I,
)


def asked_role(question: str) -> str | None:
    """What a question asking for a person asks that the person does ("Who is the leader
    of …?" → "leads"), the role first named in it; for another question, "agreed" or
    "withdrew" ("What did they agree?", "Why did they pull out?"); else None."""
    if expected_answer_type(question) is not AnswerType.PERSON:
        return event.lastgroup if (event := _EVENT_ASKED.search(question)) else None
    found = [(m.start(), role) for role, words in ROLES.items() if (m := words.search(question))]
    return min(found)[1] if found else None


# "the commander of the Syria Democratic Forces", "the spokesman for the Hashed": whose
# role it is, a name (its first word capitalised).
_ROLE_OF = re.compile(
    r"\b(?:lead(?:er|ers)?|head|chief|command(?:er|ers)?|boss|founder|spokes(?:man|woman|person))"
    r"\s+(?:of|for)\s+(?:the\s+)?(?P<whose>[A-Z][\w'’-]*(?:\s+(?:of\s+|and\s+)?(?:al-)?[A-Z][\w'’-]*){0,5})"
)


def role_of(question: str) -> str | None:
    """Whose role a question asking for a person names ("the commander of the Syria
    Democratic Forces" → "Syria Democratic Forces"), or None."""
    if expected_answer_type(question) not in (AnswerType.PERSON, AnswerType.NAME):
        return None
    found = _ROLE_OF.search(question)
    if not found or all(country_of(w) for w in re.findall(r"[\w-]+", found["whose"])):
        return None  # "the commander of Iraq's troops": a country, not a body
    return found["whose"]


def names_whose_role(text: str, whose: str | None) -> bool:
    """Whether the text (an answer's sentence with the one before it) names whose role a
    question asks about, if it names one: "the commander of the Syria Democratic Forces"
    is not "Gen. Joseph Martin, commander of ground forces for the US-led coalition"."""
    return not whose or _whose_terms(whose) <= _whose_terms(text)


def _whose_terms(text: str) -> set[str]:
    return set(content_terms(text)) | initialisms(text)


def states_role(text: str, role: str) -> bool:
    """Whether the text says someone does that (any word for it: "commander", "led")."""
    return bool(ROLES[role].search(text))


# "What did Hollande say about …", "how did Tehran respond", "what was the cleric
# Sadr's reaction": whose words are asked for; not the articles', the reports' or an
# outlet's, which say what the articles report.
_SPEAKER = re.compile(
    r"\bwhat (?:did|does|do|has|have|had) (?P<said>[^?]{1,60}?) (?:say|tell|warn|announce|"
    r"claim|state|reply|respond|think)\b"
    r"|\bhow (?:did|does|do|has|have|had) (?P<reacted>[^?]{1,60}?) (?:respond|react|reply)\b"
    r"|\bwhat (?:was|were|is|are) (?P<whose>[^?]{1,60}?)['’]s? (?:reaction|response|view|"
    r"position|stance)\b",
    re.I,
)
_SOURCES = re.compile(rf"\b(?:{SOURCE_NOUNS}|post|write-?ups?|op-eds?)\b", re.I)


def asked_speaker(question: str) -> str | None:
    """Whose words or response the question asks for, as written ("Muqtada al-Sadr"), if
    it names them (a word with a capital, or a country); not "he", nor a source."""
    found = _SPEAKER.search(question)
    if not found:
        return None
    who = found["said"] or found["reacted"] or found["whose"]
    return None if _SOURCES.search(who) or not _speaker_terms(who) else who


def names_speaker(text: str, speaker: str | None) -> bool:
    """Whether the text names whose words a question asks for (one of the names is
    enough: "Sadr" for "Muqtada al-Sadr"); True for a question that names no one. What
    one man said does not answer what another said of it."""
    return not speaker or bool(_speaker_terms(speaker) & _whose_terms(text))


def _speaker_terms(who: str) -> set[str]:
    """The terms of the names in ``who``: words with a capital in any part ("al-Sadr")
    or naming a country; the Arabic article is no name."""
    words = re.findall(r"[\w'’-]+", who)
    named = [w for w in words if any(p[:1].isupper() for p in w.split("-")) or country_of(w)]
    return {t for w in named for t in content_terms(w)} - {"al", "el"}


# "who's Haider al-Abadi?", "who is Joseph Martin again": whom a reader asks to be told
# about by name alone (the name, as written, up to four words).
_WHO_IS = re.compile(
    r"^\W*(?:\w+[,:]?\s+){0,2}?who(?:'s|’s|s| (?:exactly )?(?:is|was))\s+"
    r"(?P<name>[\w.'’-]+(?:\s+[\w.'’-]+){0,3}?)\s*(?:again|exactly|anyway)?\W*$",
    re.I,
)
# What news puts beside a name to say who the person is: a title before it ("Prime
# Minister Haider al-Abadi", "their commander, General …") or an office after it
# ("Jawwad al-Tulaibawi, spokesman for …").
_TITLE = (
    r"minister|president|prime|premier|governor|mayor|senator|general|gen\.?|colonel|col\.?|"
    r"lieutenant|major|director|commander|spokes(?:man|woman|person)|cleric|leader|chief|"
    r"head|secretary|officer|official|envoy|ambassador|caliph|supremo|correspondent|analyst|"
    r"founder"
)
_TITLED_BEFORE = re.compile(rf"\b(?:{_TITLE})\W+(?:\S+\s+){{0,2}}$", re.I)
_OFFICE_AFTER = re.compile(rf"(?:\s+[A-Z][\w-]*)*\s*,\s+(?:\S+\s+){{0,2}}(?:{_TITLE})\b", re.I)


def asked_identity(question: str) -> str | None:
    """The name a question asks to be told who it is ("who's Haider al-Abadi?" →
    "Haider al-Abadi"), if it asks only that of a name (not "who is he?")."""
    found = _WHO_IS.match(question)
    name = found["name"] if found else ""
    if not name or stopwords() & {w.lower() for w in re.findall(r"[\w'’.]+", name)}:
        return None  # "who is he?", "who's running it?", "who was against them …?"
    return name


def introduces(sentence: str, name: str) -> bool:
    """Whether the sentence says who the named person is: a title or office within the
    few words before one of the name's words, or just after it."""
    for word in {w for w in re.findall(r"[^\W_]+", name) if w.lower() not in ("al", "el")}:
        for found in re.finditer(rf"\b{re.escape(word)}\b", sentence, re.I):
            before = sentence[max(0, found.start() - 40) : found.start()]
            after = sentence[found.end() : found.end() + 40]
            if _TITLED_BEFORE.search(before) or _OFFICE_AFTER.match(after):
                return True
    return False
