"""Request and response bodies of the HTTP API."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict
from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from qa.types import (
    DATE_FORMATS,
    Answer,
    Article,
    Filters,
    IndexedArticle,
    Retrieval,
    Role,
    Turn,
    first_day,
    last_day,
)

# Hard caps of the schema; the configured limits (QA_MAX_QUESTION_CHARS and the rest,
# lower by default) are checked by ``api.limits``.
MAX_QUESTION_CHARS = 100_000
MAX_HISTORY_TURNS = 1000
MAX_FILTER_VALUES = 200


class HistoryMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_QUESTION_CHARS)


def is_blank(text: str) -> bool:
    # Characters that show nothing (zero-width spaces, byte order marks) are blank too.
    return not "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def _not_blank(text: str) -> str:
    if is_blank(text):
        raise ValueError("must not be blank")
    return text


class FiltersIn(BaseModel):
    """Which articles an answer or search may draw on; every field is optional."""

    model_config = ConfigDict(extra="forbid")

    published_from: date | None = Field(
        None, description="Published on or after: YYYY-MM-DD, or YYYY-MM or YYYY from its start."
    )
    published_to: date | None = Field(
        None, description="Published on or before: YYYY-MM-DD, or YYYY-MM or YYYY to its end."
    )
    sources: list[str] = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="Article file names."
    )
    publishers: list[str] = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="Outlets, as listed."
    )

    @field_validator("published_from", "published_to", mode="before")
    @classmethod
    def _day_month_or_year(cls, value: object, info: ValidationInfo) -> object:
        # A number is refused rather than read as seconds after 1970, as pydantic would.
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise ValueError(f"expected a date as {DATE_FORMATS}")
        return (first_day if info.field_name == "published_from" else last_day)(value)

    @model_validator(mode="after")
    def _range_is_ordered(self) -> FiltersIn:
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError(
                f"published_from ({self.published_from}) is after published_to "
                f"({self.published_to})"
            )
        return self

    def to_filters(self) -> Filters:
        return Filters(
            self.published_from, self.published_to, tuple(self.sources), tuple(self.publishers)
        )


def filters_of(body: FiltersIn | None) -> Filters | None:
    return body.to_filters() if body is not None else None


class AskRequest(BaseModel):
    # A misspelt field ("filter" for "filters") is refused, not ignored: ignored, it
    # would answer from every article while the asker believes the answer narrowed.
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[HistoryMessage] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    top_k: int | None = Field(default=None, ge=1, le=50)
    quote: bool = Field(
        False,
        description="Answer by quoting the articles even if a language model is configured "
        "(fast, and never queued behind generated answers).",
    )
    filters: FiltersIn | None = Field(None, description="Only articles that pass these.")

    question_not_blank = field_validator("question")(_not_blank)

    def turns(self) -> list[Turn]:
        return [Turn(Role(m.role), m.content) for m in self.history]


class CitationOut(BaseModel):
    n: int
    source: str
    title: str
    publisher: str | None
    published: str | None
    author: str | None = Field(None, description="The article's byline, if it has one.")
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
        None,
        description="How the answer was made, where it matters: how a mistyped question "
        "was read, why a generated answer fell back to quoting the articles.",
    )
    nearest: list[CitationOut] = Field(
        default_factory=list,
        description="When the service abstains: the sentences closest to the question "
        "(`cited_sentences`) and their passages, for the reader to judge. Not an answer.",
    )

    @classmethod
    def from_answer(cls, answer: Answer) -> AskResponse:
        return cls.model_validate(answer.as_dict())


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: int | None = Field(default=None, ge=1, le=50)
    filters: FiltersIn | None = Field(None, description="Only articles that pass these.")

    query_not_blank = field_validator("query")(_not_blank)


class SearchHit(BaseModel):
    rank: int
    chunk_id: str
    score: float = Field(
        description="Fused retrieval score: normalised dense and BM25 scores, weighted "
        "(or, with QA_FUSION=rrf, reciprocal rank fusion of their ranks)."
    )
    similarity: float | None = Field(
        description="Cosine similarity to the query (with QA_FUSION=rrf, only of passages "
        "the dense search found)."
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
    notice: str | None = Field(
        None,
        description="Why no passage could be found: no article is indexed, or none "
        "passes the filters (then it says which to widen).",
    )

    @classmethod
    def from_retrieval(cls, query: str, retrieval: Retrieval) -> SearchResponse:
        return cls(
            query=query,
            notice=retrieval.notice,
            results=[
                SearchHit(rank=rank, similarity=retrieval.dense.get(p.chunk_id), **asdict(p))
                for rank, p in enumerate(retrieval.passages, start=1)
            ],
        )


class DocumentIn(BaseModel):
    """An article given as a file's text (``name`` and ``text``) or as a page to fetch
    (``url``). Another field (``title``, say) is refused: the title, date and outlet are
    read from the text, and a field dropped unread would look taken."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None,
        min_length=1,
        max_length=255,
        description="File name; its suffix (.txt, .md, .html) says how to read the text.",
        examples=["mosul-2017-07-10.txt"],
    )
    text: str | None = Field(
        None, min_length=1, description="The article as the file would hold it."
    )
    url: str | None = Field(
        None,
        min_length=1,
        max_length=2048,
        description="An http(s) page to fetch instead (its article's name comes from the URL).",
        examples=["https://news.example/2017/07/10/mosul"],
    )

    @model_validator(mode="after")
    def _one_way(self) -> DocumentIn:
        if self.url is not None:
            if self.name is not None or self.text is not None:
                raise ValueError("give either url, or name and text, not both")
        elif self.name is None or self.text is None:
            raise ValueError("give name and text (or url)")
        elif not self.text.strip():
            raise ValueError("text must not be blank")
        return self


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
    passages: list[str] = Field(
        description="The passages it was indexed as, in order (neighbours share a sentence)."
    )

    @classmethod
    def from_article(
        cls, article: Article, record: IndexedArticle, passages: list[str]
    ) -> Document:
        summary = DocumentSummary.from_record(record).model_dump()
        return cls(**summary, text=article.body, passages=passages)


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
    articles_synced: int | None = Field(
        None, description="Articles read into the keyword index since the start (writes and syncs)."
    )
    error: str | None = None


class Limits(BaseModel):
    max_question_chars: int = Field(description="Longest question, in characters.")
    max_history_turns: int = Field(description="Most earlier messages sent with a question.")
    max_history_chars: int = Field(description="Most characters of those messages in all.")


class ErrorBody(BaseModel):
    detail: str
