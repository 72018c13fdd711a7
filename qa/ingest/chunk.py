"""Split an article into sentence-aware chunks small enough to check a citation in seconds.

In: an ``Article``. Out: ``Chunk``s of whole consecutive sentences, about
``target_words`` long, each sharing ``overlap`` sentences with the one before, with
ids derived from the source name and the chunk's content.
"""

from __future__ import annotations

import hashlib

from qa.text.sentences import split_sentences
from qa.types import Article, Chunk


def chunk_id(source: str, ordinal: int, text: str) -> str:
    """A stable id: the same article text always yields the same ids."""
    digest = hashlib.sha256(f"{source}\x1f{ordinal}\x1f{text}".encode()).hexdigest()
    return digest[:32]


def chunk_article(article: Article, target_words: int = 90, overlap: int = 1) -> list[Chunk]:
    """Pack the article's sentences into chunks of about ``target_words`` words."""
    sentences = split_sentences(article.body)
    groups = pack_sentences(sentences, target_words, overlap)
    chunks = []
    for ordinal, group in enumerate(groups):
        text = passage_text(group)
        chunks.append(
            Chunk(
                id=chunk_id(article.source, ordinal, text),
                source=article.source,
                ordinal=ordinal,
                text=text,
                sentences=tuple(group),
            )
        )
    return chunks


def passage_text(sentences: list[str]) -> str:
    """The sentences as one passage that splits back into them: joined by spaces, or, when
    a space would run two of them together (a photo caption or a heading has no full
    stop), by line breaks, which end a sentence when the answerers split it again."""
    text = " ".join(sentences)
    if split_sentences(text) == sentences:
        return text
    return "\n".join(sentences)


def pack_sentences(sentences: list[str], target_words: int, overlap: int) -> list[list[str]]:
    """Group consecutive sentences; a new group starts with the last ``overlap`` of the old."""
    groups: list[list[str]] = []
    current: list[str] = []
    fresh = 0  # sentences in ``current`` not carried over from the previous group
    for sentence in sentences:
        words = sum(len(s.split()) for s in current)
        if fresh and words + len(sentence.split()) > target_words:
            groups.append(current)
            carried = current[-overlap:] if overlap else []
            # A long sentence is not carried over: it would make the next chunk mostly repeat.
            if sum(len(s.split()) for s in carried) > target_words // 3:
                carried = []
            current = carried
            fresh = 0
        current.append(sentence)
        fresh += 1
    if fresh:
        groups.append(current)
    return groups
