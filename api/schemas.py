"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from qa.types import Answer, Role, Turn

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_QUESTION_CHARS * 4)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    history: list[Message] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    top_k: int | None = Field(default=None, ge=1, le=50)

    @field_validator("question")
    @classmethod
    def _not_blank(cls, question: str) -> str:
        if not question.strip():
            raise ValueError("must not be blank")
        return question

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
    mode: str
    citations: list[CitationOut]

    @classmethod
    def from_answer(cls, answer: Answer) -> AskResponse:
        return cls(
            answer=answer.text,
            answered=answer.answered,
            mode=answer.mode,
            citations=[
                CitationOut(
                    n=c.n,
                    source=c.passage.source,
                    title=c.passage.title,
                    publisher=c.passage.publisher,
                    published=c.passage.published,
                    quote=c.passage.text,
                    cited_sentences=list(c.cited_sentences),
                )
                for c in answer.citations
            ],
        )


class Health(BaseModel):
    status: str
