"""Slips of typing in a question mended from the words of the indexed articles.

In: a question as typed, and how many indexed passages hold a term (``frequency``, of a
stemmed term). Out: the question with each word that is no English word and that no
passage holds, but that is one edit away from words passages do hold, replaced by the
most frequent of those ("who's makign progress", "how badly outnumberd"). A misspelt
word matches no term of the index: neither keyword search nor the answerer's coverage of
the question can find it. A name typed with its capital is mended too, but only to a
word no English dictionary knows, that is to a name the articles write: names from
Arabic, Turkish or Russian have several spellings in English ("Qayyara" and "Qayara",
"Cavushoglu" and "Cavusoglu", "Jawad" and "Jawwad"), and a reader spells them as they
remember them; a name is not made an English word ("Daesh" is not "dash"). A word in
capitals (an initialism, or shouting) is left alone.

Only the articles' words are offered as corrections: a spelling dictionary alone would
turn the names it does not know into words it does ("Daesh" into "dash", "Raqa" into
"raja"); and only words no dictionary knows are mended, so "wounded" never becomes an
article's "founded" (a British spelling counts as known when its American one is: the
list is American). The dictionary is pyspellchecker's English word list (160,000
words), and its edit generator gives a word's neighbours (Norvig's: deletes,
transpositions, replacements, insertions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from functools import cache

from breame.spelling import get_american_spelling
from spellchecker import SpellChecker

from qa.text.shorthand import spell_out
from qa.text.terms import keyword_terms

MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
_WORD = re.compile(r"[^\W\d_]+")


@cache
def dictionary() -> SpellChecker:
    """The English word list and its edit generator (read once, in about 0.3 s)."""
    return SpellChecker(language="en", distance=1)


def mend_typos(question: str, frequencies: Callable[[Collection[str]], Mapping[str, int]]) -> str:
    """``question`` with each word that neither the dictionary nor any passage holds
    replaced by its neighbour one edit away that most passages hold (of several spelling
    that term, the commonest English word; for a name, one no dictionary knows); a word
    with no such neighbour, or with two terms as frequent, is left as typed.
    ``frequencies``: how many passages hold each of the stemmed terms given."""

    def mend(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        name = word != lower
        checker = dictionary()
        if (
            word.isupper()  # an initialism, or shouting
            or len(lower) < MIN_LENGTH
            or lower in checker
            or get_american_spelling(lower) in checker  # "neighbourhood" is a word
            or spell_out(lower) != lower  # chat shorthand ("mins", "didnt") is read as such
        ):
            return word
        terms = keyword_terms(lower)
        if len(terms) != 1 or frequencies(terms)[terms[0]]:
            return word
        spellings: dict[str, list[str]] = {}  # stem: the neighbours spelling it
        for neighbour in checker.edit_distance_1(lower):
            # Not "did't"; and a name becomes another name, never an English word.
            if not neighbour.isalpha() or (name and neighbour in checker):
                continue
            terms = keyword_terms(neighbour)
            if len(terms) == 1:
                spellings.setdefault(terms[0], []).append(neighbour)
        counts = frequencies(spellings)
        ranked = sorted(
            ((counts[stem], written) for stem, written in spellings.items() if counts[stem]),
            key=lambda held: -held[0],
        )
        if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
            return word
        # "outnumbered" and "outnumber" are one term: the commoner English word.
        mended = max(sorted(ranked[0][1]), key=checker.__getitem__)
        english = checker.correction(lower)  # the commonest English word one edit away
        if (
            not name
            and mended not in checker
            and english is not None
            and english not in ranked[0][1]
        ):
            # "famlies" is "families", which no article holds, not the stem "far" of a
            # word no dictionary knows ("farlies"): a word the dictionary does not know
            # is offered only when it offers none.
            return word
        return mended.capitalize() if name else mended

    return _WORD.sub(mend, question)
