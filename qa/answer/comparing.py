"""Whether a question asks for each source's version rather than one answer: "do the
reports agree?", "I've seen it credited to different units", "how did the estimate change
between October and May?".

In: a question as typed. Out: whether it asks so (``compares_sources``, and the remarks
``without_remark_on_sources`` finds), and the question without the words that ask it,
which say how to answer, not what the answer is about.
"""

from __future__ import annotations

import re

# "I've seen it credited to different units in different reports", "do the sources agree?":
# the asker wants each source's version, not one of them.
_COMPARES_SOURCES = re.compile(
    r"\b((different|differing|various|conflicting|other) (reports|sources|articles|outlets|"
    r"accounts|versions|figures|numbers|estimates|pieces|stories|papers|coverage)|"
    r"(described|reported|credited|told|given|written|put) differently|"
    r"(reports|sources|articles|outlets|accounts|"
    r"figures|numbers|estimates) (differ|disagree|vary|conflict|contradict)\w*|"
    r"(do|does) (the )?(reports|sources|articles|outlets|accounts) (agree|differ))\b",
    re.I,
)
# "Who captured the airport? I've seen it credited to different units.", "... The reports
# seem to differ.": a sentence beside the question that remarks that the sources differ
# (it says so and names what it read; it is no question itself) asks for each source's
# version. Not "conflict": a war too.
_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+")
_DIFFER = re.compile(
    r"\b(different|differ|differs|differing|disagree\w*|conflicting|contradict\w*|"
    r"inconsistent|various|vary|varies|mixed)\b",
    re.I,
)
_READ = re.compile(
    r"\b(seen|read|heard|credit\w*|nam(e|es|ed|ing)|describ\w*|report\w*|account\w*|"
    r"version\w*|sources?|articles?|pieces?|outlets?|stor(y|ies)|papers?|coverage|says?|said|"
    r"claim\w*|giv(e|es|en)|attribut\w*|cit(e|es|ed))\b",
    re.I,
)
# "How did the estimates change between October and May?", "how does the October figure
# compare with the May one?": each report's figure, by date.
_CHANGE = re.compile(
    r"\bhow (did|has|have|do|does) .{1,60} (change|changed|evolve|evolved|shift|shifted|"
    r"compare|compared) (between|from|over|across|with|to|against)\b",
    re.I,
)


def compares_sources(question: str) -> bool:
    """The question asks in so many words how the sources' versions differ, or how a
    figure changed between them."""
    return bool(_COMPARES_SOURCES.search(question) or _CHANGE.search(question))


def without_comparing_words(question: str) -> str:
    """The question without the words that ask how the sources differ."""
    return _COMPARES_SOURCES.sub(" ", question)


def without_remark_on_sources(question: str) -> tuple[str, bool]:
    """The question without a remark beside it that the sources differ, and whether it
    had one. A remark after the question goes whole: what it names is not what is asked
    ("Who captured the airport? The articles seem to name different units."). A remark
    before it says what the question is about ("The outlets seem to credit different
    units with taking the airport. Who does each one say did it?"): its words stay, but
    not those of sources differing."""
    first, *rest = _SENTENCE_BREAK.split(question.strip())
    for sentence in rest:
        if _remarks(sentence):
            return question.replace(sentence, " "), True
    if rest and rest[-1].endswith("?") and _remarks(first):
        return question.replace(first, _READ.sub(" ", _DIFFER.sub(" ", first))), True
    return question, False


def _remarks(sentence: str) -> bool:
    return not sentence.endswith("?") and bool(_DIFFER.search(sentence) and _READ.search(sentence))
