"""The configured limits on what a question request may carry, checked per request.

In: the question (or search query), its history and the server's settings. Out:
nothing, or a 422 naming the limit. Control characters (other than tab and line breaks)
are refused: they are never part of a real question and only reach a log or a prompt
to harm it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi import HTTPException, Request, status

from qa.settings import ServerSettings
from qa.types import Turn

# Control characters, and the controls that turn the direction of writing (which can make
# a question read in a log other than it is).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# Half of a UTF-16 surrogate pair: JSON may carry one ("\ud83d", an emoji cut in two by a
# client's string slicing), but it is no character, and the tokenizer cannot read it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def json_only(request: Request) -> None:
    """A body said to be other than JSON is refused with 415 naming what to send (``curl
    -d`` without a Content-Type header sends a form, which would otherwise be refused as
    "not a valid dictionary"); a body that says nothing of its type is read as JSON."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"the body is {media_type}; send JSON, with Content-Type: application/json",
        )


def _refuse(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)


def check_text(field: str, text: str, settings: ServerSettings) -> None:
    if len(text) > settings.max_question_chars:
        raise _refuse(f"{field}: longer than the {settings.max_question_chars:,}-character limit")
    _check_characters(field, text)


def _check_characters(field: str, text: str) -> None:
    if _CONTROL.search(text):
        raise _refuse(f"{field}: contains control characters")
    if _SURROGATE.search(text):
        raise _refuse(f"{field}: contains half of a surrogate pair (a character cut in two)")


def check_history(history: Sequence[Turn], settings: ServerSettings) -> None:
    if len(history) > settings.max_history_turns:
        raise _refuse(f"history: more than {settings.max_history_turns} messages")
    if sum(len(t.content) for t in history) > settings.max_history_chars:
        raise _refuse(f"history: more than {settings.max_history_chars:,} characters in all")
    for turn in history:
        _check_characters("history", turn.content)


def recent_history(history: Sequence[Turn], settings: ServerSettings) -> list[Turn]:
    """The latest turns that fit the limits (chat clients send the whole conversation)."""
    kept: list[Turn] = []
    chars = 0
    for turn in reversed(
        history[-settings.max_history_turns :] if settings.max_history_turns else []
    ):
        chars += len(turn.content)
        if chars > settings.max_history_chars:
            break
        kept.append(Turn(turn.role, _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", turn.content))))
    return kept[::-1]
