"""The question-answering service that the CLI and the API both call.

In: settings (and, for tests and tools, an embedder already loaded). Out: an object
that ingests and deletes articles and answers questions with citations. This is the
one place that reads settings: the parts it builds take plain values, and the backends
that vary (the answerer) are chosen here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding

from qa.answer.answerability import AnswerabilityModel
from qa.answer.base import (
    EMPTY_INDEX_MESSAGE,
    Answerer,
    final_answer,
    no_match_message,
    stream_whole,
    unindexed_message,
)
from qa.answer.bylines import asks_for_byline
from qa.answer.chat import ModelFailures
from qa.answer.configured import configured_answerer
from qa.answer.evidence import EvidenceScorer
from qa.answer.extractive import ExtractiveAnswerer
from qa.answer.named_sources import named_filters, sources_side_by_side
from qa.answer.question import asks_for_overview, question_parts
from qa.index.chunks import ChunkStore
from qa.index.corpus import Corpus
from qa.index.embed import embed_model_name, embed_model_path, load_embed_model
from qa.index.question_match import QuestionMatcher

# Store errors, STORE_OUTAGES, store_outage and store_location: re-exported for the API,
# which reaches the index only through the service (.importlinter)
from qa.index.store import STORE_OUTAGES as STORE_OUTAGES
from qa.index.store import StoreNotWritable as StoreNotWritable
from qa.index.store import StoreUnreachable as StoreUnreachable
from qa.index.store import check_room, holds_store, open_client
from qa.index.store import store_location as store_location
from qa.index.store import store_outage as store_outage
from qa.index.word_vectors import StaticWordVectors
from qa.ingest.fetch import fetch_page, name_for
from qa.ingest.formats import decode_article
from qa.ingest.pipeline import (
    IngestReport,
    check_article_name,
    ingest_files,
    read_article,
    store_article,
)
from qa.retrieve.hybrid import HybridRetriever
from qa.settings import AnswerMode, CoreSettings
from qa.text.spelling import dictionary as spelling_dictionary
from qa.text.spelling import mend_typos
from qa.types import (
    Answer,
    AnswerEvent,
    Article,
    Filters,
    IndexedArticle,
    IngestOutcome,
    Query,
    QuestionPart,
    Retrieval,
    Role,
    ServiceStatus,
    Turn,
)


class BusyError(RuntimeError):
    """Too many generated answers (or page fetches) are already running or waiting; try
    again later."""


# Pages fetched at once: a fetch holds a worker thread for up to QA_FETCH_TIMEOUT, and
# the threads are the whole server's (40 slow pages stalled every route for 13 s).
FETCHES_AT_ONCE = 4


class QAService:
    def __init__(
        self,
        settings: CoreSettings | None = None,
        embedder: BaseEmbedding | None = None,
        answerability: AnswerabilityModel | None = None,
    ) -> None:
        """``embedder`` and ``answerability`` replace the configured embedding model and
        the packaged answerability model (tests and the fitting tool pass their own)."""
        self.settings = settings = settings or CoreSettings()
        # The store first: a Chroma server that does not answer fails fast, before the
        # models load (the API tries again until it answers).
        client = open_client(settings.chroma_url, settings.store_dir)
        self.embedder = embedder or load_embed_model(
            settings.embed_model,
            settings.embed_backend,
            cache_dir=settings.embed_cache_dir,
            threads=settings.embed_threads,
            batch_size=settings.embed_batch_size,
        )
        store = ChunkStore(
            client,
            settings.collection,
            self.embedder,
            model_name=embed_model_name(settings.embed_model),
            backend=settings.embed_backend.value,
        )
        self.corpus = Corpus(
            store,
            keyword_dir=settings.store_dir / "keyword" / settings.collection,
            exclusive=not settings.chroma_url and holds_store(settings.store_dir),
            embedded=not settings.chroma_url,
        )
        self.retriever = HybridRetriever(
            self.corpus,
            self.embedder,
            candidates=settings.candidates,
            fusion=settings.fusion,
            dense_weight=settings.dense_weight,
            rrf_k=settings.rrf_k,
        )
        scorer = EvidenceScorer(
            self.embedder.get_text_embedding_batch,
            self.corpus.idf,
            word_vectors=StaticWordVectors.load(embed_model_path(settings.embed_model)),
            model=answerability,
            matcher=QuestionMatcher.load(),
        )
        self.extractive = ExtractiveAnswerer(scorer, max_sentences=settings.max_answer_sentences)
        spelling_dictionary()  # read now, not on the first question
        self.model_failures = ModelFailures()  # the language model's, for the metrics
        self.answerer = configured_answerer(settings, scorer, self.extractive, self.model_failures)
        # Generated answers admitted at once; past that, callers are told to come back
        # rather than pile up behind a model that writes one answer at a time.
        self._generation_slots = threading.BoundedSemaphore(settings.llm_queue_depth)
        self._fetch_slots = threading.BoundedSemaphore(FETCHES_AT_ONCE)

    # -- questions -------------------------------------------------------------------

    def answerer_for(self, quote: bool = False) -> Answerer:
        """The configured answerer, or the extractive one if the caller asks for quotes."""
        if quote or self.settings.llm is AnswerMode.EXTRACTIVE:
            return self.extractive
        return self.answerer

    @contextmanager
    def answer_slot(self, quote: bool = False) -> Iterator[None]:
        """Hold while answering; raises ``BusyError`` if the generation queue is full.
        Extractive answers need no slot: they keep flowing while the model is busy."""
        if self.answerer_for(quote) is self.extractive:
            yield
            return
        if not self._generation_slots.acquire(blocking=False):
            raise BusyError("the language model is busy with other answers; retry shortly")
        try:
            yield
        finally:
            self._generation_slots.release()

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        quote: bool = False,
        filters: Filters | None = None,
    ) -> Answer:
        """A cited answer, or an abstention; ``quote`` asks for the extractive one;
        ``filters`` limits the articles it may draw on."""
        with self.answer_slot(quote):
            return final_answer(self.ask_stream(question, history, top_k, quote, filters))

    def ask_stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        quote: bool = False,
        filters: Filters | None = None,
    ) -> Iterator[AnswerEvent]:
        """The answer's text as it is written (``Token``s), then the ``Answer``."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        self.corpus.sync(self.settings.keyword_sync_seconds)  # another replica may have written
        # These answers are streamed as any other, so that a client showing only the
        # streamed text shows why there is no answer.
        if self.corpus.is_empty():
            yield from stream_whole(Answer(EMPTY_INDEX_MESSAGE, answered=False))
            return
        filters = self.corpus.as_indexed(filters or Filters())
        if not filters.empty and not self.corpus.any_article(filters):
            yield from stream_whole(Answer(no_match_message(filters), answered=False))
            return
        # Said with the answer: filter names that match no article, and the question as
        # it was read ("makign progress", "outnumberd": as the articles spell the words)
        said = [unindexed_message(missing)] if (missing := self.corpus.unindexed(filters)) else []
        typed, question = question, mend_typos(question, self.corpus.doc_freqs)
        said += [f'Question read as "{question}".'] if question != typed else []
        answerer = self.answerer_for(quote)
        # An overview reads more passages: its good sentences lie further down the ranking
        # (of the 61 overview questions among the calibration questions, 10 passages
        # instead of 5 quoted 4 more right on balance).
        overview = asks_for_overview(question)
        top_k = top_k or (self.settings.overview_top_k if overview else self.settings.top_k)
        # Sources set side by side are each asked as a part (below), else one is read first.
        sides = sources_side_by_side(question, filters, self.corpus)
        unnamed, named = (
            (question, filters) if sides else named_filters(question, filters, self.corpus)
        )
        narrowed = None
        if named != filters:
            # The articles the question names first, then the others as usual; the
            # answerer still reads the question whole (an article's outlet and date count
            # as its words).
            standalone = self.extractive.retrieval_query(unnamed, history)
            narrowed = self.retriever.retrieve(standalone, top_k, named)
        if narrowed is not None and narrowed.passages and (overview or asks_for_byline(question)):
            # "Summarise the May 2017 piece": an overview of what it names, from those
            # articles alone (else it would draw on several articles), and so too "when
            # was Simon Nelson's piece published?"; the whole question's own retrieval
            # (and a model's rewrite of it) is not needed.
            retrieval = narrowed
        else:
            query = answerer.retrieval_query(question, history)
            retrieval = self.retriever.retrieve(query, top_k, filters)
            if narrowed is not None:
                retrieval = self.retriever.interleave(retrieval, [narrowed])
        if sides:
            parts = [(text, tuple(history), side) for text, side in sides]
        else:  # a compound question's parts, each read after the part before it
            texts = question_parts(question)
            parts = [
                (text, (*history, *(Turn(Role.USER, t) for t in texts[n - 1 : n])), filters)
                for n, text in enumerate(texts)
            ]
        retrieval = self._with_parts(retrieval, parts, top_k)
        events = answerer.stream(question, history, retrieval)
        for event in events:
            if isinstance(event, Answer) and said:
                event = replace(event, notice=" ".join(filter(None, (*said, event.notice))))
            yield event

    def _with_parts(
        self,
        retrieval: Retrieval,
        parts: Sequence[tuple[str, tuple[Turn, ...], Filters]],
        top_k: int,
    ) -> Retrieval:
        """For a question that asks several things (a compound question's parts, or one
        question of each of the sources it sets side by side), each retrieved on its own
        in its articles, with its conversation, and the passages added to the whole
        question's, taken in turns; ``retrieval`` as it is for fewer than two."""
        if len(parts) < 2:
            return retrieval
        found = []
        for text, history, filters in parts:
            query = self.extractive.retrieval_query(text, history)
            found.append(
                QuestionPart(text, history, self.retriever.retrieve(query, top_k, filters))
            )
        merged = self.retriever.interleave(retrieval, [p.retrieval for p in found])
        return replace(merged, parts=tuple(found))

    def search(
        self, query: str, top_k: int | None = None, filters: Filters | None = None
    ) -> Retrieval:
        """Retrieval only: the passages fused from dense and keyword search, best first."""
        self.corpus.sync(self.settings.keyword_sync_seconds)
        query_text = Query(query.strip())
        if self.corpus.is_empty():
            return Retrieval(query_text, [], [], notice=EMPTY_INDEX_MESSAGE)
        filters = self.corpus.as_indexed(filters or Filters())
        if not filters.empty and not self.corpus.any_article(filters):
            return Retrieval(query_text, [], [], filters=filters, notice=no_match_message(filters))
        retrieval = self.retriever.retrieve(query_text, top_k or self.settings.top_k, filters)
        missing = self.corpus.unindexed(filters)
        return replace(retrieval, notice=unindexed_message(missing)) if missing else retrieval

    # -- articles ----------------------------------------------------------------------

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        """Index the article files under ``paths`` (files or folders)."""
        check_room(self.settings.chroma_url, self.settings.store_dir)
        with self.corpus.writing() as store:
            return ingest_files(
                store,
                paths,
                chunk_words=self.settings.chunk_words,
                overlap=self.settings.chunk_overlap_sentences,
                progress=progress,
                max_bytes=self.settings.max_document_bytes,
                batch_chunks=self.settings.ingest_batch_chunks,
                alike=self.corpus.named_alike,
            )

    def add_article(self, name: str, data: bytes) -> tuple[IngestOutcome, str]:
        """Add or replace one article given as a file's bytes; ``name`` is its file name.
        ValueError for a bad name or bytes that are not text."""
        check_article_name(name)
        try:
            raw = decode_article(data)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from error
        return self._store(name, raw)

    def add_url(self, url: str) -> tuple[str, IngestOutcome, str]:
        """Fetch the page at ``url`` and add or replace its article; returns the article's
        name (from the URL), what happened and the chunk count. ``FetchError`` (a
        ValueError) names what went wrong; nothing is written unless the page is whole."""
        settings = self.settings
        if not self._fetch_slots.acquire(blocking=False):
            raise BusyError(f"{FETCHES_AT_ONCE} pages are being fetched already; retry shortly")
        try:
            page = fetch_page(
                url,
                timeout=settings.fetch_timeout,
                max_bytes=settings.max_document_bytes,
                max_redirects=settings.fetch_max_redirects,
                allow_private=settings.allow_private_urls,
            )
        finally:
            self._fetch_slots.release()
        name = name_for(page.url)
        raw = decode_article(page.data)
        if page.media_type == "text/plain":
            name = name.removesuffix(".html") + ".txt"
        return (name, *self._store(name, raw, page.url))

    def _store(self, name: str, raw: str, url: str | None = None) -> tuple[IngestOutcome, str]:
        # Read and chunk the article first: other writes wait only for the write itself.
        settings = self.settings
        try:
            article, chunks = read_article(
                name, raw, settings.chunk_words, settings.chunk_overlap_sentences, url
            )
        except ValueError as error:
            return IngestOutcome.SKIPPED, str(error)
        check_room(self.settings.chroma_url, self.settings.store_dir)
        with self.corpus.writing() as store:  # checked in turn: two uploads race past
            if (alike := self.corpus.named_alike(name)) is not None:
                return IngestOutcome.SKIPPED, (
                    f"{name!r} differs from the indexed {alike!r} only in case, spacing or "
                    "Unicode form; give that name to replace it, or another name"
                )
            return store_article(store, article, chunks)

    def delete(self, source: str) -> int:
        """Remove an article; returns how many chunks it had (0: it was not indexed)."""
        with self.corpus.writing() as store:
            return store.delete_article(source)

    def named_alike(self, name: str) -> str | None:
        """The indexed article whose name is ``name`` but for case, spacing or Unicode
        form (to name to someone who asked for ``name``), if there is one."""
        return self.corpus.named_alike(name)

    def articles(self) -> list[IndexedArticle]:
        return self.corpus.articles()

    def article(self, source: str) -> tuple[Article, IndexedArticle] | None:
        return self.corpus.article(source)

    def article_passages(self, source: str) -> list[str]:
        """The passages an article was indexed as, in its order (answers cite these)."""
        return self.corpus.article_passages(source)

    def status(self) -> ServiceStatus:
        """What the service holds and runs, read from the store now (raises if it is gone)."""
        articles, chunks = self.corpus.counts()
        return ServiceStatus(
            articles=articles,
            chunks=chunks,
            embedding_model=embed_model_name(self.settings.embed_model),
            embedding_backend=self.settings.embed_backend.value,
            answerer=self.settings.llm.value,
            articles_synced=self.corpus.keyword.articles_applied,
        )
