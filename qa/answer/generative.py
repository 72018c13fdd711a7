"""The generative answerer: a language model writes the answer, and every sentence of
it is checked against the source it cites before anyone sees it.

In: a question, its conversation and the retrieved passages. Out: a streamed answer whose
sentences each carry a verified ``[n]``, or the extractive answer when the model fails, times
out or writes nothing a source supports (``notice`` says why); when the model had said its
sources answer, that quote rests on their best sentence even where the quoting gate alone
would have abstained.

Steps: follow-ups are first rewritten into a standalone question (``retrieval_query``); one
the model cannot restate (its rewrite is no question, or names nothing of the turns the
follow-up leans on) is answered by quoting, as the extractive answerer would. The evidence
scorer ranks the passages' sentences; when none is near the question the answerer abstains
without calling the model. Otherwise the model is shown the best few sentences (not whole
chunks: prompt processing is most of the time on a CPU), grouped by passage under numbers,
and first asked whether they answer the question at all (``judge``: the probability of "yes",
against a threshold chosen on calibration questions, lower where the evidence scorer is
sure); if not, it abstains and lists the nearest sentences. Its answer is cut into sentences
as it streams (``SentenceStream``); each is verified (``CitationVerifier``), re-cited to the
source that supports it, or dropped, and sent on only then, so no unchecked text, no invented
number and no half-written ``[1`` reaches the user. An overview shown several articles is
sent only once it cites two of them. A compound question ("How many fled, and where did they
go?") shows the model each part's own best sentences and asks it to answer each part; a part
it leaves out is quoted from them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace

from qa.answer.answer_type import AnswerType
from qa.answer.base import ABSTENTION_MESSAGE, stream_whole
from qa.answer.chat import ChatModel, ChatModelError
from qa.answer.evidence import Evidence, EvidenceScorer
from qa.answer.extractive import ExtractiveAnswerer
from qa.answer.facts import holds_answer_type
from qa.answer.prompts import (
    answer_messages,
    condense_messages,
    judge_messages,
    select_part_sources,
    select_sources,
)
from qa.answer.question import Question, analyse_question, is_followup
from qa.cite.attribution import figure_lead
from qa.cite.stream import SentenceStream
from qa.cite.verify import CitationVerifier, PromptSource, Reason, Verdict
from qa.text.numbers import numbers_in
from qa.text.terms import content_terms
from qa.types import (
    Answer,
    AnswerEvent,
    AnswerOrigin,
    Citation,
    Passage,
    Query,
    Retrieval,
    Token,
    Turn,
)

log = logging.getLogger(__name__)

OVERVIEW_LEAST_SENTENCES = 2  # an overview says at least this many things (or all it was shown)
CONDENSE_TOKENS = 48
MAX_STANDALONE_CHARS = 300


class GenerativeAnswerer:
    def __init__(
        self,
        model: ChatModel,
        scorer: EvidenceScorer,
        quoting: ExtractiveAnswerer,
        max_tokens: int = 200,
        rewriter: ChatModel | None = None,
    ) -> None:
        self.model = model
        self.rewriter = rewriter or model  # restates follow-ups
        # The same scorer, with the thresholds fitted for this language model.
        self.scorer = scorer.with_model(scorer.model.for_language_model(model.name))
        self.quoting = quoting  # answers when the model fails or writes nothing verifiable
        self.max_tokens = max_tokens

    # -- the standalone question -------------------------------------------------------

    def retrieval_query(self, question: str, history: Sequence[Turn]) -> Query:
        fallback = self.quoting.retrieval_query(question, history)
        if not history:
            return fallback
        try:
            rewritten = "".join(
                self.rewriter.stream(condense_messages(question, history), CONDENSE_TOKENS)
            )
        except ChatModelError as error:
            log.warning("could not rewrite the follow-up (%s); using its terms instead", error)
            return fallback
        rewritten = rewritten.strip().splitlines()[0].strip() if rewritten.strip() else ""
        if not rewritten or len(rewritten) > MAX_STANDALONE_CHARS:
            return fallback
        if not _restates(rewritten, question, history):
            log.info("the follow-up %r was not restated (%r); quoting instead", question, rewritten)
            return replace(fallback, unresolved=True)
        return Query(rewritten, rewritten=True)

    # -- the answer --------------------------------------------------------------------

    def stream(
        self, question: str, history: Sequence[Turn], retrieval: Retrieval
    ) -> Iterator[AnswerEvent]:
        if retrieval.query.unresolved:
            # The model could not say what the follow-up refers to, so neither its
            # yes-or-no nor its answer would read the question the asker meant: quoted,
            # from the passages the follow-up's terms and the exchange's found.
            yield from stream_whole(
                _quoting_instead(
                    self.quoting.answer(question, history, retrieval),
                    "the language model could not restate the follow-up on its own",
                )
            )
            return
        analysed = analyse_question(question, history)
        evidence = self.scorer.score(analysed, retrieval)
        # A compound question's parts, each with its own evidence.
        parts = self.quoting.score_parts(retrieval)
        quoted = (
            self.quoting.quote_parts(analysed, evidence, retrieval, parts)
            if parts
            else self.quoting.quote(analysed, evidence, retrieval)
        )
        # A compound question is near the passages if one of its parts is.
        near = any(self.scorer.relevant(found) for found in (evidence, *(e for _, e in parts)))
        told = bool(parts) or self.scorer.count_told(analysed, evidence)
        best = next((e for e in evidence if e.has_type), None)
        refuted = (
            not parts and best is not None and not self.scorer.fills_slot(analysed, best, evidence)
        )
        if analysed.byline or (not quoted.answered and (refuted or not (near and told))):
            # A byline is the article's metadata, not something for the model to write;
            # else nothing retrieved is near the question (nor any of its parts), or no
            # number retrieved counts what it asks ("how many were wounded", and every
            # toll found is of the dead: the model wrote "15 were wounded" from "killing
            # 15", and the verifier, finding the number cited, let it stand), or the best
            # sentence lacks what is asked (the model named a spokesman as the leader).
            yield from stream_whole(quoted)
            return
        sources = (
            select_part_sources(parts, self.quoting)
            if parts
            else select_sources(analysed, evidence, self.quoting)
        )
        part_texts = tuple(dict.fromkeys(part.question for part in retrieval.parts))  # once
        # The rewritten follow-up, if the model rewrote it (not the fallback's term list).
        standalone = retrieval.query.text if retrieval.query.rewritten else question
        # The model reads the sources and says whether they answer at all: it judges by
        # meaning where the scorer's features judge by words.
        threshold = self.scorer.model.judge_threshold  # 0: a model that cannot tell
        try:
            answers = threshold <= 0 or self.scorer.model.judge_says_yes(
                self.model.judge(judge_messages(standalone, sources, part_texts)),
                max((e.score for e in evidence), default=0.0),
            )
        except ChatModelError as error:
            log.warning("could not ask the model whether the sources answer: %s", error)
            yield from stream_whole(
                _quoting_instead(quoted, f"the language model failed ({error})")
            )
            return
        if not answers:
            # The quoted answer's abstention, with its nearest sentences, when it is one.
            yield from stream_whole(
                quoted
                if not quoted.answered
                else Answer(
                    ABSTENTION_MESSAGE,
                    answered=False,
                    passages=quoted.passages,
                    nearest=self.quoting.nearest(analysed, evidence),
                )
            )
            return
        verifier = CitationVerifier(sources, self.scorer.sentence_embeddings, standalone)
        # Figures of several articles side by side, as the quoted answer would set them.
        figures = (
            _figures_differ(sources)
            if analysed.overview
            else bool(self.quoting.figure_quotes(analysed, evidence))
        )
        # A question asking how the sources' versions differ ("I've seen it credited to
        # different units"), when two or more articles give one: answered like an
        # overview, one sentence from each, else quoted. Left to itself the model gave
        # one version: 5 of the 10 such calibration questions, all wrong so; all 5 right
        # answered this way, the other 5 as before.
        versions = (
            not parts
            and not analysed.overview
            and bool(self.quoting.source_quotes(analysed, evidence))
        )
        writer = _CitedWriter({s.n: s.passage for s in sources}, figures=figures)
        splitter = SentenceStream()
        notice = None
        # A question asking for a number, a date or a name is answered only by sentences
        # one of which gives what the question does not (to "which minister called for
        # talks?", "The minister called for talks" says nothing): held back until one does.
        # An overview shown several articles draws on two of them, as the quoted one does,
        # and says more than one thing: held back until it does (one sentence is no
        # overview; on the calibration questions one-sentence overviews were mostly wrong).
        held: list[Token] = []
        typed = analysed.answer_type is AnswerType.ANY
        several = len({s.passage.source for s in sources}) > 1
        articles = 2 if (analysed.overview or versions) and several else 1
        shown = sum(len(s.sentences) for s in sources)
        least = min(OVERVIEW_LEAST_SENTENCES, shown) if analysed.overview else 1

        def complete() -> bool:
            return typed and len(writer.articles()) >= articles and len(writer.sentences) >= least

        def add(verdict: Verdict) -> Iterator[Token]:
            nonlocal typed
            held.extend(writer.add(verdict))
            if not typed and verdict.supported:
                typed = _gives_asked_fact(verdict, analysed.answer_type, question)
            if complete():
                yield from held
                held.clear()

        try:
            messages = answer_messages(
                standalone, sources, overview=analysed.overview or versions, parts=part_texts
            )
            for piece in self.model.stream(messages, self.max_tokens):
                for sentence in splitter.feed(piece):
                    yield from add(verifier.verify(sentence))
            for sentence in splitter.finish():
                yield from add(verifier.verify(sentence))
        except ChatModelError as error:
            log.warning("generation failed: %s", error)
            notice = error.notice
        if parts and writer.sentences and not notice:
            for verdict in self._left_parts(retrieval, parts, sources, writer.rests_on):
                yield from add(verdict)
        if not complete():
            if notice:
                reason = notice
            elif not writer.sentences:
                reason = "no sentence the language model wrote could be verified"
            elif not typed:
                reason = f"the language model's answer gave no {analysed.answer_type.described}"
            elif versions:
                reason = "the language model gave one source's version, not each of them"
            else:
                reason = (
                    "the language model's overview was too narrow (one article or one sentence)"
                )
            if (
                not quoted.answered
                and threshold > 0
                and analysed.answer_type is not AnswerType.NUMBER
            ):
                # The model said its sources answer: quote their best sentence, though the
                # word features alone were not sure enough to (on the readers' calibration
                # half this answered 8 more questions right and 1 unanswerable wrongly;
                # heeding a reply of "The articles don't say" here answered 4 fewer and kept
                # that 1). Not for a number: of the six "how many / how far" questions
                # answered so on all 450 calibration questions, none was right and four
                # were unanswerable (the best sentence held a number of something else).
                quoted = self.quoting.quote(analysed, evidence, retrieval, vouched=True)
            yield from stream_whole(_quoting_instead(quoted, reason, writer.dropped))
            return
        yield Answer(
            " ".join(writer.sentences),
            True,
            writer.citations(),
            AnswerOrigin.GENERATED,
            tuple(retrieval.passages),
            dropped=writer.dropped,
            notice=notice and f"{notice}; the answer stops early",
        )

    def _left_parts(
        self,
        retrieval: Retrieval,
        parts: Sequence[tuple[Question, Sequence[Evidence]]],
        sources: Sequence[PromptSource],
        used: set[str],
    ) -> list[Verdict]:
        """Quotes (``part_quotes``) for the parts the model left out, as it often stops early:
        ``used``, what its answer rests on, lacks the best sentence of the part's quotes."""
        shown = {sentence: s.n for s in sources for sentence in s.sentences}
        quoted: dict[str, Verdict] = {}
        found = self.quoting.part_quotes(retrieval, parts)
        for (_, evidence), quotes in zip(parts, found, strict=True):
            score = {e.sentence: e.score for e in evidence}
            if quotes and max(quotes, key=lambda q: score.get(q.sentence, 0.0)).sentence in used:
                continue
            for quote in quotes or ():
                n = shown.get(quote.sentence)
                if n is not None and quote.sentence not in used:
                    quoted[quote.sentence] = Verdict(
                        quote.sentence, (n,), Reason.CITED, ((n, quote.sentence),)
                    )
        return list(quoted.values())


def _restates(rewritten: str, question: str, history: Sequence[Turn]) -> bool:
    """The model's rewrite is the follow-up made standalone: a question where one was
    asked (a 1.5B model sometimes answers instead: "Colonel Dorrian", or invents one: "…
    on [insert date]"), and, for a question that leans on the turns before it, naming
    something of them that the question does not ("was that the worst attack on them?"
    copied back as it is). On the 196 calibration follow-ups, the quoted answer to those
    that fail either test was right for 23 of 28 answerable ones, where the model's
    (reading its rewrite) was for 13; and declined 6 of 10 unanswerable ones, against 4.
    """
    if question.rstrip().endswith("?") and not rewritten.rstrip().endswith("?"):
        return False
    if not is_followup(question):
        return True
    earlier = {term for turn in history for term in content_terms(turn.content)}
    added = set(content_terms(rewritten)) - set(content_terms(question))
    return bool(added & earlier)


def _quoting_instead(quoted: Answer, reason: str, dropped: int = 0) -> Answer:
    """The quoted answer in the model's place, saying why (an abstention says nothing)."""
    notice = f"{reason}; the answer quotes the articles instead" if quoted.answered else None
    return replace(quoted, dropped=dropped, notice=notice)


def _gives_asked_fact(verdict: Verdict, answer_type: AnswerType, question: str) -> bool:
    """The sentence holds a number, sum, date or person's name the question lacks; for
    "who" (answered by a name as often as by "the army" or "a national fund"), a word it
    lacks; for "what did X say", it rests on a source sentence that reports speech (the
    model's own "X said" proves nothing)."""
    if answer_type is AnswerType.NAME:
        return bool(set(content_terms(verdict.claim)) - set(content_terms(question)))
    if answer_type is AnswerType.STATEMENT:
        return any(holds_answer_type(s, answer_type, question) for _, s in verdict.quoted)
    return holds_answer_type(verdict.claim, answer_type, question)


def _figures_differ(sources: Sequence[PromptSource]) -> bool:
    """The model was shown figures from two or more articles."""
    return len({s.passage.source for s in sources if numbers_in(s.text)}) > 1


class _CitedWriter:
    """Verified sentences with their markers renumbered by first use, and the citations.
    When the sources give figures from several articles, a sentence stating a number is
    led by its source's date and outlet, as the quoted answer's would be."""

    def __init__(self, passages: dict[int, Passage], figures: bool = False) -> None:
        self._passages = passages
        self._figures = figures
        self._numbers: dict[int, int] = {}  # source number in the prompt → number shown
        self._quoted: dict[int, list[str]] = {}
        self.sentences: list[str] = []
        self.dropped = 0
        self._claims: set[str] = set()  # what the shown sentences say: none is said twice

    def add(self, verdict: Verdict) -> Iterator[Token]:
        if not verdict.supported:
            self.dropped += 1
            log.info("dropped %r: %s", verdict.claim, verdict.reason.value)
            return
        said = " ".join(verdict.claim.lower().split())
        if said in self._claims:  # a small model in a loop, citing another source each time
            return
        self._claims.add(said)
        markers = []
        for n in verdict.sources:
            shown = self._numbers.setdefault(n, len(self._numbers) + 1)
            markers.append(f"[{shown}]")
        for n, sentence in verdict.quoted:
            quoted = self._quoted.setdefault(n, [])
            if sentence not in quoted:
                quoted.append(sentence)
        claim = verdict.claim
        if self._figures and numbers_in(claim):
            source = self._passages[verdict.sources[0]]
            claim = figure_lead(source) + claim
        sentence = f"{claim} {' '.join(markers)}"
        yield Token(sentence if not self.sentences else " " + sentence)
        self.sentences.append(sentence)

    @property
    def rests_on(self) -> set[str]:
        """The source sentences the verified sentences rest on."""
        return {sentence for quoted in self._quoted.values() for sentence in quoted}

    def articles(self) -> set[str]:
        """The articles the verified sentences cite."""
        return {self._passages[n].source for n in self._numbers}

    def citations(self) -> tuple[Citation, ...]:
        return tuple(
            Citation(shown, self._passages[n], tuple(self._quoted.get(n, ())))
            for n, shown in self._numbers.items()
        )
