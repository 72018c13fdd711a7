"""The question-answering service that the CLI and the API both call.

In: settings. Out: an object that ingests and deletes articles and answers questions
with citations. Backends that vary (the answerer) are chosen here, from settings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from qa.answer.base import EMPTY_INDEX_MESSAGE, Answerer
from qa.answer.chat import ChatModel, LlamaCppChat, OpenAICompatibleChat
from qa.answer.extractive import ExtractiveAnswerer
from qa.answer.generative import GenerativeAnswerer
from qa.answer.models import resolve_model
from qa.index.articles import IndexedArticle
from qa.index.corpus import ChunkIndex
from qa.ingest.pipeline import IngestReport, Outcome, check_article_name, ingest_files, ingest_text
from qa.retrieve.hybrid import HybridRetriever, Retrieval
from qa.settings import AnswerMode, Settings
from qa.types import Answer, AnswerEvent, Article, Turn


class BusyError(RuntimeError):
    """Too many generated answers are already running or waiting; try again later."""


class QAService:
    def __init__(self, settings: Settings | None = None, index: ChunkIndex | None = None) -> None:
        self.settings = settings or Settings()
        self.index = index or ChunkIndex(self.settings)
        self.retriever = HybridRetriever(
            self.index,
            candidates=self.settings.candidates,
            rrf_k=self.settings.rrf_k,
            sync_seconds=self.settings.keyword_sync_seconds,
        )
        self.extractive = ExtractiveAnswerer(
            embed_batch=self.index.embed_model.get_text_embedding_batch,
            idf=lambda term: self.index.keyword.idf(term),
            max_sentences=self.settings.max_answer_sentences,
        )
        self.answerer = self._make_answerer()
        self._writing = threading.Lock()  # one ingest or delete at a time
        # Generated answers admitted at once; past that, callers are told to come back
        # rather than pile up behind a model that writes one answer at a time.
        self._generation_slots = threading.BoundedSemaphore(self.settings.llm_queue_depth)

    def _make_answerer(self) -> Answerer:
        extractive = self.extractive
        settings = self.settings
        model: ChatModel
        match settings.llm:
            case AnswerMode.EXTRACTIVE:
                return extractive
            case AnswerMode.LOCAL:
                model = LlamaCppChat(
                    resolve_model(settings.llm_model, settings.llm_cache_dir),
                    context_tokens=settings.llm_context_tokens,
                    threads=settings.llm_threads,
                    timeout=settings.llm_timeout,
                )
            case AnswerMode.OPENAI:
                key = settings.openai_api_key
                model = OpenAICompatibleChat(
                    settings.openai_base_url,
                    settings.openai_model,
                    api_key=key.get_secret_value() if key else None,
                    timeout=settings.llm_timeout,
                )
        return GenerativeAnswerer(model, extractive, max_tokens=settings.llm_max_tokens)

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
    ) -> Answer:
        """A cited answer, or an abstention; ``quote`` asks for the extractive one."""
        with self.answer_slot(quote):
            *_, answer = self.ask_stream(question, history, top_k, quote)
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        quote: bool = False,
    ) -> Iterator[AnswerEvent]:
        """The answer's text as it is written (``Token``s), then the ``Answer``."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        self.index.sync(self.settings.keyword_sync_seconds)  # another replica may have written
        if self.index.is_empty():
            yield Answer(EMPTY_INDEX_MESSAGE, answered=False)
            return
        answerer = self.answerer_for(quote)
        query = answerer.retrieval_query(question, history)
        retrieval = self.retriever.retrieve(query, top_k or self.settings.top_k)
        yield from answerer.stream(question, history, retrieval)

    def search(self, query: str, top_k: int | None = None) -> Retrieval:
        """Retrieval only: the passages fused from dense and keyword search, best first."""
        return self.retriever.retrieve(query.strip(), top_k or self.settings.top_k)

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        with self._writing:
            return ingest_files(
                self.index,
                paths,
                chunk_words=self.settings.chunk_words,
                overlap=self.settings.chunk_overlap_sentences,
                progress=progress,
                max_bytes=self.settings.max_document_bytes,
                batch_chunks=self.settings.ingest_batch_chunks,
            )

    def add_article(self, name: str, raw: str) -> tuple[Outcome, str]:
        """Add or replace one article given as file text; ``name`` is its file name."""
        check_article_name(name)
        with self._writing:
            outcome = ingest_text(
                self.index,
                name,
                raw,
                chunk_words=self.settings.chunk_words,
                overlap=self.settings.chunk_overlap_sentences,
            )
            self.index.refresh_keyword()
        return outcome

    def delete(self, source: str) -> int:
        """Remove an article; returns how many chunks it had (0: it was not indexed)."""
        with self._writing:
            removed = self.index.delete_article(source)
            self.index.refresh_keyword()
        return removed

    def articles(self) -> list[IndexedArticle]:
        return self.index.articles()

    def article(self, source: str) -> tuple[Article, IndexedArticle] | None:
        return self.index.article(source)
