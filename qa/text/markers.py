"""Inline citation markers: ``[1]``, and ``[1, 2]`` for a sentence with two sources.

In: answer text. Out: the numbers its markers name, the text without them, or the text
cut after each marker. Every part of the project that reads or writes markers uses
these patterns, so ``[1, 2]`` is understood everywhere ``[1]`` is.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# Markers that open a piece of streamed text: they belong to the sentence before.
LEADING_MARKERS = re.compile(r"^\s*(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+")
# Nothing written yet, or a marker still being written ("[1", "[1, ").
UNFINISHED_MARKER = re.compile(r"^\s*(?:\[[\d,\s]*)?$")
_AFTER_MARKER = re.compile(r"(?<=\]) ")
_MARKER_WITH_SPACE = re.compile(r"\s*" + MARKER.pattern)


def split_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without its markers, and the numbers they name, in order."""
    numbers = [int(n) for group in MARKER.findall(sentence) for n in group.split(",")]
    claim = _MARKER_WITH_SPACE.sub("", sentence).strip()
    claim = re.sub(r"\s+([.,;:!?])", r"\1", claim)  # "killed [1]." leaves "killed ."
    return claim, numbers


def strip_markers(text: str) -> str:
    """The text without its markers."""
    return MARKER.sub("", text)


def split_after_markers(text: str) -> list[str]:
    """The text cut at each space that follows a marker: one piece per cited sentence."""
    return _AFTER_MARKER.split(text)
