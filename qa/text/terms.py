"""Words as the index and the answerers compare them: lower-cased, stemmed, filtered.

In: any text. Out: ``keyword_terms`` (what BM25 indexes: stemmed words without English
stopwords) and ``content_terms`` (the same, also without question and filler words, and
with irregular verb forms mapped to their base form first, so "led" meets "lead").
``stopwords`` is NLTK's English list, read from the data llama-index ships.
"""

from __future__ import annotations

import re
from functools import cache

import bm25s
import Stemmer

from qa.text.sentences import nltk_data_ready

STEMMER = Stemmer.Stemmer("english")

# Words that say how a question is asked, not what it is about.
GENERIC_TERMS = frozenset(
    {
        "accord", "say", "said", "report", "tell", "told", "mention", "articl", "do", "doe",
        "did", "were", "has", "have", "had", "been", "being", "which", "what", "who", "whom",
        "whose", "when", "where", "why", "how", "mani", "much", "can", "could", "would",
        "should", "may", "might", "we", "you", "i", "me", "my",
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


def keyword_terms(text: str) -> list[str]:
    """Lower-cased, stemmed words of ``text`` without English stopwords, as BM25 sees them."""
    tokens = bm25s.tokenize(
        [text], stopwords="en", stemmer=STEMMER, return_ids=False, show_progress=False
    )
    return list(tokens[0]) if tokens else []


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a question or sentence, without question and filler words."""
    stop = _stopword_stems()
    text = _IRREGULAR.sub(lambda m: IRREGULAR_VERBS[m.group(0).lower()], text)
    return [t for t in keyword_terms(text) if t not in stop and t not in GENERIC_TERMS]


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
