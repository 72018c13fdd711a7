"""The question-answering service that the CLI and the API both call.

In: settings. Out: an object that ingests and deletes articles and answers questions
with citations. Backends that vary (the answerer) are chosen here, from settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from qa.answer.base import EMPTY_INDEX_MESSAGE, Answerer
from qa.answer.extractive import ExtractiveAnswerer
from qa.index.corpus import ChunkIndex, IndexedArticle
from qa.ingest.pipeline import IngestReport, ingest_files
from qa.retrieve.hybrid import HybridRetriever
from qa.settings import AnswerMode, Settings
from qa.types import Answer, Turn


class QAService:
    def __init__(self, settings: Settings | None = None, index: ChunkIndex | None = None) -> None:
        self.settings = settings or Settings()
        self.index = index or ChunkIndex(self.settings)
        self.retriever = HybridRetriever(
            self.index, candidates=self.settings.candidates, rrf_k=self.settings.rrf_k
        )
        self.answerer = self._make_answerer()

    def _make_answerer(self) -> Answerer:
        match self.settings.llm:
            case AnswerMode.EXTRACTIVE:
                return ExtractiveAnswerer(
                    embed_batch=self.index.embed_model.get_text_embedding_batch,
                    idf=lambda term: self.index.keyword.idf(term),
                    max_sentences=self.settings.max_answer_sentences,
                )

    def ask(self, question: str, history: Sequence[Turn] = (), top_k: int | None = None) -> Answer:
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        if self.index.count() == 0:
            return Answer(EMPTY_INDEX_MESSAGE, answered=False)
        query = self.answerer.retrieval_query(question, history)
        retrieval = self.retriever.retrieve(query, top_k or self.settings.top_k)
        return self.answerer.answer(question, history, retrieval)

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        return ingest_files(
            self.index,
            paths,
            chunk_words=self.settings.chunk_words,
            overlap=self.settings.chunk_overlap_sentences,
            progress=progress,
        )

    def delete(self, source: str) -> int:
        removed = self.index.delete_article(source)
        self.index.refresh_keyword()
        return removed

    def articles(self) -> list[IndexedArticle]:
        return self.index.articles()
