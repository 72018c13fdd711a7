"""Check each sentence a language model wrote against the passage it cites.

In: the numbered sources the model was shown, and one sentence of its answer with its
``[n]`` markers. Out: a ``Verdict``: the sources that support the sentence (its own
markers when they hold up, else the source that best supports it), or none, and then
the sentence must not be shown. A source supports a sentence when every number, name
and date in the sentence appears in the source (its sentences, or its article's title,
date, outlet and author, which the model was shown with it), and the sentence's content
words are mostly found there or it is close in meaning to one of the source's sentences.
A supported sentence's numbers are written as its source writes them ("outnumbered one
to ten" of a source's "one to 10" is shown "one to 10").
Source text is data. A source sentence that reads as an instruction to a language
model ("ignore previous instructions…", "reply only with…") is never shown to the
model and never supports anything, so a model that obeys one writes a sentence no
source supports, and it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from qa.cite.attribution import reported_on
from qa.text.markers import split_markers
from qa.text.numbers import as_written_in, numbers_in
from qa.text.sentences import split_sentences
from qa.text.terms import content_terms, stopwords
from qa.types import Passage

# Calibrated on the seed articles (see tests/test_verify.py and the dev evaluation).
MIN_OVERLAP = 0.6  # share of the sentence's content words found in the source
MIN_SIMILARITY = 0.75  # or: cosine similarity to the closest source sentence
MIN_PARTIAL_OVERLAP = 0.34  # ... with at least this overlap
# The name a sentence opens with (its subject) must stand in the source sentence it
# restates or in one of this many sentences before it in the article, where a "he" or
# "they" of that sentence names it. Anywhere in the article is too loose: "Abu Bakr
# al-Baghdadi was hiding among civilians" is not what an article says that names him a
# paragraph away from "fighters who remain are hiding among civilians". On the readers'
# calibration half (local model, 140 sentences) one sentence fewer is shown, that one;
# with one sentence before, a right sentence whose subject was named two before is lost.
SUBJECT_WINDOW = 2

_POSSESSIVE = re.compile(r"[’']s$")
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,60}\b(instructions?|prompts?|rules|guidelines)\b"
    r"|\b(reply|respond|answer|say|output|print)\b.{0,20}\b(only|exactly)\b.{0,10}\bwith\b"
    r"|\b(system prompt|developer mode|jailbreak)\b"
    r"|\byou are (now )?(an? |the )?(ai|assistant|language model|chatbot)\b"
    r"|\b(as an ai|new instructions?)\b",
    re.I,
)
_PUNCTUATION = "\"“”‘’'()[],.;:!?"
_ARTICLES = frozenset({"the", "a", "an"})

Embed = Callable[[Sequence[str]], np.ndarray]  # sentences → one row vector each


class Reason(StrEnum):
    CITED = "supported by its own citation"
    RECITED = "supported by another source than the one it cited"
    UNSUPPORTED = "no source supports it"
    INVENTED = "a number or name in it appears in no source"
    NO_CLAIM = "it states nothing to check"


@dataclass(frozen=True)
class PromptSource:
    """A passage as numbered in the prompt, with the sentences the model was shown."""

    n: int
    passage: Passage
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def context(self) -> str:
        """Who published the passage's article and when, as the prompt shows it."""
        p = self.passage
        dates = (p.published, reported_on(p)) if p.published else ()
        return " ".join(x for x in (p.title, *dates, p.publisher, p.author) if x)


@dataclass(frozen=True)
class Verdict:
    claim: str  # the sentence without its markers
    sources: tuple[int, ...]  # numbers of the sources that support it; empty: drop it
    reason: Reason
    quoted: tuple[tuple[int, str], ...] = ()  # (source, its sentence closest to the claim)

    @property
    def supported(self) -> bool:
        return bool(self.sources)


def looks_like_instruction(sentence: str) -> bool:
    """A sentence addressed to a language model rather than to a reader."""
    return bool(_INSTRUCTION.search(sentence))


def names_in(claim: str, proper: set[str]) -> set[str]:
    """Names in the claim, lower-cased: capitalised words that are not common words.
    The first word counts only if the sources use it as a name (capitalised mid-sentence)."""
    names = set()
    for i, token in enumerate(claim.split()):
        word = _POSSESSIVE.sub("", token.strip(_PUNCTUATION))
        if not word[:1].isupper() or word.lower() in stopwords():
            continue
        if i == 0 and word.lower() not in proper:
            continue
        names.add(word.lower())
    return names


class CitationVerifier:
    """Verdicts for the sentences of one answer over one set of numbered sources."""

    def __init__(
        self, sources: Sequence[PromptSource], embed: Embed | None = None, question: str = ""
    ) -> None:
        sources = [
            PromptSource(
                s.n, s.passage, tuple(x for x in s.sentences if not looks_like_instruction(x))
            )
            for s in sources
        ]
        self.sources = {s.n: s for s in sources if s.sentences}
        # A name the question itself uses may be restated without the cited source
        # repeating it ("Hollande said…" of a sentence that says "he said"), as long as a
        # source of the same article has it: a premise cannot be invented ("why did
        # Russia bomb…?" → "Russia bombed… [1]", where [1] is about the coalition and
        # only another article names Russia).
        self._asked = _words(question)
        self._embed = embed
        self._words = {s.n: _words(s.text) | _words(s.context) for s in self.sources.values()}
        self._article_words: dict[str, set[str]] = {}
        for s in self.sources.values():
            self._article_words.setdefault(s.passage.source, set()).update(
                self._words[s.n], _words(s.passage.text)
            )
        self._numbers = {
            s.n: numbers_in(s.text) | numbers_in(s.context) for s in self.sources.values()
        }
        self._terms = {s.n: set(content_terms(s.text)) for s in self.sources.values()}
        self._proper = {
            name for s in sources for sentence in s.sentences for name in _inner_names(sentence)
        }
        # Each article's sentences as far as its shown passages go, in the article's order.
        self._article_sentences: dict[str, list[str]] = {}
        for source in sorted(self.sources.values(), key=lambda s: s.passage.ordinal):
            known = self._article_sentences.setdefault(source.passage.source, [])
            known.extend(x for x in split_sentences(source.passage.text) if x not in known)
        self._all_words: set[str] = set().union(*self._words.values())
        self._all_numbers: set[str] = set().union(*self._numbers.values())

    def verify(self, sentence: str) -> Verdict:
        claim, cited = split_markers(sentence)
        terms = set(content_terms(claim))
        if not terms:
            return Verdict(claim, (), Reason.NO_CLAIM)
        numbers = numbers_in(claim)
        names = names_in(claim, self._proper)
        if not numbers <= self._all_numbers or not _known(names, self._all_words):
            return Verdict(claim, (), Reason.INVENTED)
        claim_vector = self._vector(claim)
        own = [n for n in dict.fromkeys(cited) if n in self.sources]
        subject = _subject(claim) & names
        supporting = [
            n for n in own if self._supports(n, terms, numbers, names, claim_vector, subject)
        ]
        reason = Reason.CITED
        if not supporting:
            best = self._best_source(terms, numbers, names, claim_vector, subject)
            if best is None:
                return Verdict(claim, (), Reason.UNSUPPORTED)
            supporting, reason = [best], Reason.RECITED
        quoted = tuple((n, self._closest_sentence(n, terms)) for n in supporting)
        # Its numbers as the sources write them ("one to ten" of a source's "one to 10"),
        # so a reader finds the figure quoted as it stands.
        claim = as_written_in(claim, " ".join(sentence for _, sentence in quoted))
        return Verdict(claim, tuple(supporting), reason, quoted)

    # -- support -----------------------------------------------------------------------

    def _supports(
        self,
        n: int,
        terms: set[str],
        numbers: set[str],
        names: set[str],
        claim_vector: np.ndarray | None,
        subject: set[str],
    ) -> bool:
        article = self._article_words[self.sources[n].passage.source]
        if (
            not numbers <= self._numbers[n]
            or not _known(names - self._asked, self._words[n])
            or not _known(names & self._asked, article)
            or (subject and not _known(subject, self._near(n, terms)))
        ):
            return False
        overlap = self._overlap(n, terms)
        if overlap >= MIN_OVERLAP:
            return True
        if claim_vector is None or overlap < MIN_PARTIAL_OVERLAP:
            return False
        return self._similarity(n, claim_vector) >= MIN_SIMILARITY

    def _best_source(
        self,
        terms: set[str],
        numbers: set[str],
        names: set[str],
        claim_vector: np.ndarray | None,
        subject: set[str],
    ) -> int | None:
        candidates = [
            n
            for n in self.sources
            if self._supports(n, terms, numbers, names, claim_vector, subject)
        ]
        return max(candidates, key=lambda n: self._overlap(n, terms), default=None)

    def _near(self, n: int, terms: set[str]) -> set[str]:
        """The words of source ``n``'s sentence closest to the claim, of the
        ``SUBJECT_WINDOW`` sentences before it in its article, and of its title, outlet
        and author."""
        source = self.sources[n]
        article = self._article_sentences[source.passage.source]
        closest = self._closest_sentence(n, terms)
        at = article.index(closest) if closest in article else None
        if at is None:  # shown but not found in the passage's own text: the source alone
            return self._words[n]
        window = article[max(0, at - SUBJECT_WINDOW) : at + 1]
        return set().union(*map(_words, window)) | _words(source.context)

    def _overlap(self, n: int, terms: set[str]) -> float:
        return len(terms & self._terms[n]) / len(terms) if terms else 0.0

    def _vector(self, claim: str) -> np.ndarray | None:
        return _unit(self._embed([claim]))[0] if self._embed else None

    def _similarity(self, n: int, claim_vector: np.ndarray) -> float:
        assert self._embed is not None
        vectors = _unit(self._embed(list(self.sources[n].sentences)))
        return float((vectors @ claim_vector).max()) if len(vectors) else 0.0

    def _closest_sentence(self, n: int, terms: set[str]) -> str:
        sentences = self.sources[n].sentences
        return max(sentences, key=lambda s: len(terms & set(content_terms(s))))


def _words(text: str) -> set[str]:
    return {_POSSESSIVE.sub("", w).lower() for w in re.findall(r"[\w’'-]+", text)}


def _subject(claim: str) -> set[str]:
    """The words of the capitalised run a sentence opens with, lower-cased ("Abu Bakr
    al-Baghdadi was hiding…" → abu, bakr, al-baghdadi), after "the" or "a" and up to two
    words in lower case ("The elite Rapid Response force…" → rapid, response): its
    subject when that is a name."""
    tokens = claim.split()
    if tokens[:1] and tokens[0].lower() in _ARTICLES:
        tokens = tokens[1:]
        for _ in range(2):
            if tokens[:1] and tokens[0][:1].islower():
                tokens = tokens[1:]
    run: list[str] = []
    for token in tokens:
        word = _POSSESSIVE.sub("", token.strip(_PUNCTUATION))
        if not (word[:1].isupper() or (run and word.lower().startswith("al-"))):
            break
        run.append(word.lower())
    return set(run)


def _inner_names(sentence: str) -> set[str]:
    """Names as the source writes them: capitalised words after the first."""
    words = sentence.split()
    return names_in(" ".join(["x", *words[1:]]), set()) if len(words) > 1 else set()


def _known(names: set[str], words: set[str]) -> bool:
    """Every name is a word of the text (a hyphenated one may be split: "ISIS-held")."""
    return all(n in words or all(p in words for p in n.split("-") if p) for n in names)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.where(norms == 0, 1, norms))
