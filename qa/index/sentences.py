"""Sentence vectors are not kept in the store: drop those an earlier store kept.

Stores written by an earlier version kept every sentence's vector in Chroma, so that
the answerers read them instead of embedding the sentences of the retrieved passages.
At 100,000 chunks that was ~300,000 vectors whose search index Chroma loaded into
memory on the first read (+700 MB of the 1.6 GB peak) to save ~20-30 ms a question;
the answerers embed the sentences they score and remember them across questions
instead (``qa.index.remembered``). A store that still has the collection loses it
when it is opened.
"""

from __future__ import annotations

from typing import Any


def drop_sentence_vectors(client: Any, chunks_collection: str) -> None:
    """Delete the sentence-vector collection an earlier version kept, if there is one."""
    name = f"{chunks_collection}-sentences"
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    if name in names:
        client.delete_collection(name)
