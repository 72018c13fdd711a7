"""Cut a streamed answer into whole sentences, each with its ``[n]`` markers complete.

In: text pieces as a model writes them. Out: sentences, each given out only once it is
certainly finished: the next sentence has begun with words, so every marker that
belongs to it ("killed. [1] [2]") has arrived, and a half-written marker ("[1") is never
given out. ``finish`` gives out what is left when the model stops.
"""

from __future__ import annotations

from qa.text.markers import LEADING_MARKERS, UNFINISHED_MARKER
from qa.text.sentences import sentence_spans


class SentenceStream:
    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, text: str) -> list[str]:
        """Add text; return the sentences that are now complete."""
        self._buffer += text
        pieces = _pieces(self._buffer)
        if len(pieces) < 2:
            return []
        # The last piece is still being written. If it has no words yet, the sentence
        # before it may still get markers: hold that one back too.
        keep = 2 if UNFINISHED_MARKER.match(pieces[-1]) else 1
        done, held = pieces[:-keep], pieces[-keep:]
        self._buffer = "".join(held)
        return [p.strip() for p in done if p.strip()]

    def finish(self) -> list[str]:
        """The rest of the text, as sentences, when the stream has ended."""
        pieces, self._buffer = _pieces(self._buffer), ""
        return [p.strip() for p in pieces if p.strip()]


def _pieces(text: str) -> list[str]:
    """Text cut at sentence starts, the markers that open a piece moved to the one before."""
    starts = [start for start, _ in sentence_spans(text)] or [0]
    starts[0] = 0
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    for i in range(1, len(pieces)):
        found = LEADING_MARKERS.match(pieces[i])
        if found:
            pieces[i - 1] += pieces[i][: found.end()]
            pieces[i] = pieces[i][found.end() :]
    return pieces
