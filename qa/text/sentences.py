"""Split text into sentences.

In: article text with paragraphs separated by blank lines. Out: sentences in order,
each stripped. Uses NLTK's pretrained English Punkt model from the data folder that
llama-index ships, so no download is ever attempted; abbreviations such as "Gen."
or "U.S." do not end a sentence.
"""

from __future__ import annotations

import os
import re
from functools import cache

import llama_index.core
import nltk
from nltk.tokenize import PunktTokenizer

_NLTK_DIR = os.path.join(os.path.dirname(llama_index.core.__file__), "_static", "nltk_cache")
_EXTRA_ABBREVIATIONS = {
    "gen",
    "col",
    "lt",
    "maj",
    "sgt",
    "capt",
    "brig",
    "adm",
    "gov",
    "sen",
    "rep",
    "st",
    "no",
    "jan",
    "feb",
    "aug",
    "sept",
    "oct",
    "nov",
    "dec",
}


def nltk_data_ready() -> None:
    """Point NLTK at the data llama-index ships (punkt_tab, stopwords), not at a download."""
    if _NLTK_DIR not in nltk.data.path:
        nltk.data.path.append(_NLTK_DIR)


@cache
def _tokenizer() -> PunktTokenizer:
    nltk_data_ready()
    tokenizer = PunktTokenizer("english")
    tokenizer._params.abbrev_types.update(_EXTRA_ABBREVIATIONS)
    return tokenizer


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a paragraph break always ends a sentence."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n(?=\S)", text):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            sentences.extend(s.strip() for s in _tokenizer().tokenize(paragraph) if s.strip())
    return sentences


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` as it stands (no paragraph handling)."""
    return list(_tokenizer().span_tokenize(text))
