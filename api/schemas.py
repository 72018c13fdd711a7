"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from qa.types import Answer, Article, IndexedArticle, Retrieval, Role, Turn

# Hard caps of the schema; the configured limits (QA_MAX_QUESTION_CHARS and the rest,
# lower by default) are checked by ``api.limits``.
MAX_QUESTION_CHARS = 100_000
MAX_HISTORY_TURNS = 1000


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_QUESTION_CHARS)


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be blank")
    return text


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[HistoryMessage] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    top_k: int | None = Field(default=None, ge=1, le=50)
    quote: bool = Field(
        False,
        description="Answer by quoting the articles even if a language model is configured "
        "(fast, and never queued behind generated answers).",
    )

    question_not_blank = field_validator("question")(_not_blank)

    def turns(self) -> list[Turn]:
        return [Turn(Role(m.role), m.content) for m in self.history]


class CitationOut(BaseModel):
    n: int
    source: str
    title: str
    publisher: str | None
    published: str | None
    quote: str = Field(description="The cited passage.")
    cited_sentences: list[str] = Field(description="The sentences of the quote the answer uses.")


class AskResponse(BaseModel):
    answer: str
    answered: bool
    mode: Literal["extractive", "generated"] = Field(
        description="Which path wrote the answer: quoted sentences, or a language model's "
        "sentences, each checked against the source it cites."
    )
    citations: list[CitationOut]
    dropped_sentences: int = Field(
        0, description="Generated sentences left out because no source supported them."
    )
    notice: str | None = Field(
        None, description="Why a generated answer fell back to quoting the articles."
    )

    @classmethod
    def from_answer(cls, answer: Answer) -> AskResponse:
        return cls.model_validate(answer.as_dict())


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: int | None = Field(default=None, ge=1, le=50)

    query_not_blank = field_validator("query")(_not_blank)


class SearchHit(BaseModel):
    rank: int
    chunk_id: str
    score: float = Field(description="Reciprocal rank fusion score of dense and BM25 ranks.")
    similarity: float | None = Field(
        description="Cosine similarity to the query, if the dense search found it."
    )
    text: str
    source: str
    title: str
    publisher: str | None
    published: str | None
    author: str | None
    ordinal: int = Field(description="The passage's position in its article, from 0.")


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit]

    @classmethod
    def from_retrieval(cls, query: str, retrieval: Retrieval) -> SearchResponse:
        return cls(
            query=query,
            results=[
                SearchHit(rank=rank, similarity=retrieval.dense.get(p.chunk_id), **asdict(p))
                for rank, p in enumerate(retrieval.passages, start=1)
            ],
        )


class DocumentIn(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=255,
        description="File name; its suffix (.txt, .md, .html) says how to read the text.",
        examples=["mosul-2017-07-10.txt"],
    )
    text: str = Field(min_length=1, description="The article as the file would hold it.")

    text_not_blank = field_validator("text")(_not_blank)


class DocumentSummary(BaseModel):
    id: str = Field(description="The file name the article was ingested from.")
    title: str
    published: str | None
    author: str | None
    publisher: str | None
    chunks: int
    characters: int

    @classmethod
    def from_record(cls, record: IndexedArticle) -> DocumentSummary:
        fields = asdict(record)
        return cls(id=fields.pop("source"), **fields)


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int


class Document(DocumentSummary):
    text: str = Field(description="The cleaned article body that was chunked and indexed.")

    @classmethod
    def from_article(cls, article: Article, record: IndexedArticle) -> Document:
        return cls(**DocumentSummary.from_record(record).model_dump(), text=article.body)


class DocumentWritten(BaseModel):
    id: str
    outcome: Literal["added", "replaced", "unchanged"]
    detail: str


class DocumentDeleted(BaseModel):
    id: str
    deleted_chunks: int


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    articles: int | None = None
    chunks: int | None = None
    embedding_model: str | None = None
    embedding_backend: str | None = None
    answerer: str | None = None
    error: str | None = None


class ErrorBody(BaseModel):
    detail: str
