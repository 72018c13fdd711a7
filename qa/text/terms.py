"""Words as the index and the answerers compare them: lower-cased, stemmed, filtered.

In: any text. Out: ``keyword_terms`` (what BM25 indexes: stemmed words without English
stopwords) and ``content_terms`` (the same, also without question and filler words, with
irregular verb forms mapped to their base form first, so "led" meets "lead", the words
for taking a place made one, so "take over" meets "conquest", British spellings made
American, so "neighbourhood" meets "neighborhood", and the names of a country made one
term, so "Tehran-backed" meets "Iranian-backed").
``stopwords`` is NLTK's English list, read from the data llama-index ships.
"""

from __future__ import annotations

import calendar
import re
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from breame.spelling import get_american_spelling

from qa.text.equivalents import name_countries_alike, name_groups_alike
from qa.text.sentences import nltk_data_ready
from qa.text.shorthand import spell_out

STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s's own token pattern
_BM25_STOPWORDS = frozenset(STOPWORDS_EN)

# Words that say how a question is asked, not what it is about (stems): question words,
# reporting verbs, and the filler of spoken questions ("roughly", "for my piece I need").
GENERIC_TERMS = frozenset(
    {
        "accord", "say", "said", "report", "tell", "told", "mention", "articl", "do", "doe",
        "did", "were", "has", "have", "had", "been", "being", "which", "what", "who", "whom",
        "whose", "when", "where", "why", "how", "mani", "much", "can", "could", "would",
        "should", "may", "might", "we", "you", "i", "me", "my",
        "rough", "exact", "actual", "basic", "realli", "just", "need", "want", "piec", "know",
        "give", "rundown", "overview", "summari", "summaris", "summar", "recap", "explain",
        "describ", "thing", "stuff", "anyth", "someth", "guy", "ok", "okay", "hang", "wait",
        "pleas", "thank", "hey", "hi", "els", "mean", "sort", "kind", "coverag", "stori",
        "sourc", "go", "get", "happen", "around", "approxim", "lol", "lmao", "haha", "tbh",
        "btw", "idk", "omg", "imo", "nah", "yeah", "yep", "gonna", "wanna", "kinda", "sorta",
        "ballpark", "curious", "wonder", "question", "hmm", "um", "uh", "dunno", "quick",
        "answer", "see", "credit", "anyon", "anybodi", "someon", "somebodi", "let", "hear",
        "origin", "initi", "like", "seem", "obvious", "confus", "final", "word", "point",
        "bad", "even", "honest", "liter", "news", "updat", "dude", "bro",
    }
)  # fmt: skip

# Irregular verb forms the stemmer leaves apart from their base form ("led" / "lead").
IRREGULAR_VERBS = {
    "led": "lead", "took": "take", "taken": "take", "rose": "rise", "risen": "rise",
    "fled": "flee", "fought": "fight", "held": "hold", "began": "begin", "begun": "begin",
    "won": "win", "lost": "lose", "struck": "strike", "broke": "break", "broken": "break",
    "came": "come", "went": "go", "gone": "go", "gave": "give", "given": "give", "got": "get",
    "made": "make", "met": "meet", "sent": "send", "spent": "spend", "built": "build",
    "brought": "bring", "caught": "catch", "drove": "drive", "driven": "drive", "ran": "run",
    "saw": "see", "seen": "see", "shot": "shoot", "stood": "stand", "threw": "throw",
    "thrown": "throw", "wrote": "write", "written": "write", "knew": "know", "known": "know",
    "found": "find", "thought": "think", "fell": "fall", "fallen": "fall", "paid": "pay",
    "sold": "sell", "bought": "buy", "chose": "choose", "chosen": "choose", "sought": "seek",
    "withdrew": "withdraw", "withdrawn": "withdraw", "overtook": "overtake", "hid": "hide",
    "hidden": "hide", "flew": "fly", "flown": "fly", "grew": "grow", "grown": "grow",
    "spoke": "speak", "spoken": "speak", "fed": "feed", "kept": "keep", "slept": "sleep",
    "swore": "swear", "sworn": "swear", "told": "tell", "said": "say", "heard": "hear",
    "dealt": "deal", "meant": "mean", "stole": "steal", "stolen": "steal", "bore": "bear",
    "borne": "bear", "beat": "beat", "beaten": "beat", "blew": "blow", "blown": "blow",
}  # fmt: skip
_IRREGULAR = re.compile(r"\b(" + "|".join(IRREGULAR_VERBS) + r")\b", re.I)
# Taking a place by force, as verbs and nouns, is "take" ("when did IS take over Mosul?"
# against "the conquest of Mosul", "who captured the airport?" against "retook the
# airport"): the stemmer keeps "conquest", "seizure", "capture" and "retake" apart, and
# "take over" is two words. On the 840 calibration questions: 5 more right, none lost,
# abstention unchanged; "grab" ("when did IS grab Mosul?") since, one more right of the
# 1,779 calibration and threshold questions, none lost.
_TAKE = re.compile(
    r"\b(conquest|conquer\w*|seiz\w*|grab(?:s|bed|bing)?|overr[au]n\w*|takeovers?|"
    r"(?:re-?)?captur\w*|(?:take[ns]?|took|taking) over|re-?(?:take[ns]?|took|taking))\b",
    re.I,
)
# "regained ground" is "gained ground" again (the stemmer keeps "regain" apart).
_AGAIN = re.compile(r"\bre-?(gain\w*|claim\w*|enter\w*)\b", re.I)
# "under way" says that something is going on, not what: its "way" is no term ("how long
# had the offensive been under way" is answered by "the battle in its second week").
_UNDER_WAY = re.compile(r"\bunder\s*way\b", re.I)
# The months' names, as a pattern's alternatives ("January|February|…"), for the
# patterns that read dates: written once here.
MONTH_NAMES = "|".join(calendar.month_name[1:])
# Abbreviated months as news and readers write them ("Oct. 2016", "late Sept", "10 nov
# 2016"): with a capital or beside a number, since "mar" and "dec" are other words too.
_MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "sept": "September",
    "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip
_MONTH = re.compile(r"(?<=(\d) )?\b(" + "|".join(_MONTHS) + r")\b\.?(?= (\d))?", re.I)


def keyword_terms(text: str) -> list[str]:
    """Lower-cased, stemmed words of ``text`` without English stopwords, as BM25 sees them
    (bm25s's tokenisation and stopword list: the terms stay those of earlier indexes)."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _BM25_STOPWORDS]
    return list(STEMMER.stemWords(words))


def content_words(text: str, *, groups: bool = True) -> list[tuple[str, str]]:
    """(stem, word) for each content word of ``text``, in order: tokenised, lower-cased and
    stemmed as BM25 does it, without stopwords, question and filler words; irregular verb
    forms become their base form ("led" is "lead"), words for taking a place "take"
    ("conquest", "seized", "retook"), abbreviated months whole ("Oct." is "October"),
    shorthand the words it stands for ("ppl" is "people"), British spellings American
    ("defence" is "defense"), every name of a country its key ("Tehran", "Iranian"
    and "Iran" are one term), and every name of an armed group also the group's one name
    ("Daesh" is also "ISIS"; ``groups=False``: only the name written)."""
    stop = _stopword_stems()
    text = _TAKE.sub("take", _MONTH.sub(_month_written_out, text))
    text = _UNDER_WAY.sub(" ", _AGAIN.sub(r"\1", text))
    text = spell_out(name_groups_alike(text) if groups else text)
    text = _IRREGULAR.sub(lambda m: IRREGULAR_VERBS[m.group(0).lower()], text)
    words = []
    for word in _TOKEN.findall(name_countries_alike(text).lower()):
        if word in _BM25_STOPWORDS:
            continue
        # British spellings made American ("neighbourhood", "defence", "kilometres"):
        # readers and outlets write either, and the stemmer keeps them apart.
        stem = STEMMER.stemWord(get_american_spelling(word))
        if stem not in stop and stem not in GENERIC_TERMS:
            words.append((stem, word))
    return words


def _month_written_out(match: re.Match[str]) -> str:
    before, short, after = match.groups()
    if short[0].isupper() or before or after:
        return _MONTHS[short.lower()]
    return match.group(0)


def content_terms(text: str, *, groups: bool = True) -> list[str]:
    """Stemmed content words of a question or sentence (see ``content_words``)."""
    return [stem for stem, _ in content_words(text, groups=groups)]


# A run of capitalised words ("Syria Democratic Forces", "Counter-Terrorism Service"),
# the small words a name keeps inside it allowed ("Islamic State of Iraq and Syria").
_NAME_RUN = re.compile(r"\b[A-Z][\w’']*(?:[ -](?:(?:of|and|for) )*[A-Z][\w’']*)+")
_INSIDE_NAME = re.compile(r" (?:of|and|for) ")
_LEADING = frozenset({"The", "A", "An", "On", "In", "At", "By", "From", "For", "As"})


def initialisms(text: str) -> frozenset[str]:
    """The initials of each name of several capitalised words, as terms (lower case and
    stemmed like ``content_terms``): "Syria Democratic Forces" gives "sdf". A reader asks
    about "the SDF" where an article spells the name out."""
    found = set()
    for run in _NAME_RUN.finditer(text):
        segments = _INSIDE_NAME.split(run.group(0))
        for name in (" ".join(segments), *segments):
            words = [w for w in re.split(r"[ -]", name) if w]
            while words and words[0] in _LEADING:
                words = words[1:]
            if 2 <= len(words) <= 6:
                found.add(STEMMER.stemWord("".join(w[0] for w in words).lower()))
    return frozenset(found)


@cache
def stopwords() -> frozenset[str]:
    """NLTK's English stopwords, lower case."""
    nltk_data_ready()
    from nltk.corpus import stopwords as corpus

    return frozenset(corpus.words("english"))


@cache
def _stopword_stems() -> frozenset[str]:
    words = stopwords()
    return frozenset(keyword_terms(" ".join(words))) | words
