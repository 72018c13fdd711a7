"""Chat language models behind one small interface: llama.cpp in process, or any
OpenAI-compatible server.

In: chat messages and a token budget. Out: the reply's text, piece by piece.
Generation is greedy (temperature 0), so the same prompt gives the same answer. A
reply that takes longer than the timeout raises ``ChatModelError``; so does a server
that cannot be reached. The caller falls back to the extractive answer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypedDict, cast

import numpy as np

from qa.types import answer_stopped

log = logging.getLogger(__name__)

# The words a yes-or-no reply begins with.
YES = ("yes", "Yes", "YES", " yes", " Yes")
NO = ("no", "No", "NO", " no", " No")
JUDGE_TOKENS = 2


class PromptMessage(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


class ChatModelError(RuntimeError):
    """The model failed, timed out or could not be reached; ``kind`` says which in a
    word, as the metrics count it: ``timeout``, ``unreachable``, ``connection``,
    ``http_error``, ``bad_reply``, ``too_long``, ``cut``, ``stopped`` or ``failed``."""

    def __init__(self, message: str, kind: str = "failed") -> None:
        super().__init__(message)
        self.kind = kind

    @property
    def notice(self) -> str:
        """What the reader of an answer is told of it."""
        return f"the language model failed ({self})"


class ReplyCut(ChatModelError):
    """The reply reached its token budget: its last sentence may stop halfway, and is
    not given (the sentences before it are)."""

    def __init__(self, max_tokens: int) -> None:
        super().__init__(
            f"the language model's reply reached its {max_tokens}-token limit (QA_LLM_MAX_TOKENS)",
            kind="cut",
        )

    @property
    def notice(self) -> str:
        return str(self)


class ChatModel(Protocol):
    name: str

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        """The reply to ``messages``, as text pieces, at most ``max_tokens`` tokens."""
        ...

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        """How likely the reply to ``messages`` (a yes-or-no question) is yes: 0 to 1."""
        ...


class ModelFailures:
    """How often calls to the language model failed, by call (``answer``, ``judge``,
    ``rewrite``) and kind, for the metrics: an answer falls back to quoting when its
    model fails, so without a count an operator would not see a model server that is
    down, slow or cutting replies short. A reader who stopped waiting is no failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], int] = {}

    def note(self, call: str, error: ChatModelError) -> None:
        if error.kind != "stopped":
            with self._lock:
                self._counts[call, error.kind] = self._counts.get((call, error.kind), 0) + 1

    def counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)


class CountedChat:
    """``model``, its failures noted in ``failures``; its replies are ``reply_call``s
    (``answer``, or ``rewrite`` for the model that restates follow-ups)."""

    def __init__(self, model: ChatModel, failures: ModelFailures, reply_call: str) -> None:
        self.model = model
        self.name = model.name
        self.failures = failures
        self.reply_call = reply_call

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        try:
            yield from self.model.stream(messages, max_tokens)
        except ChatModelError as error:
            self.failures.note(self.reply_call, error)
            raise

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        try:
            return self.model.judge(messages)
        except ChatModelError as error:
            self.failures.note("judge", error)
            raise


class LlamaCppChat:
    """A GGUF model run in process by llama.cpp (``llama-cpp-python``), one reply at a time.

    The chat template is set explicitly (ChatML, Qwen's format) rather than guessed from
    the file. llama.cpp keeps the previous prompt's state and reuses its longest common
    prefix, so the fixed system message is processed once, not per question.
    """

    def __init__(
        self,
        model_path: Path,
        context_tokens: int = 4096,
        threads: int | None = None,
        timeout: float = 120.0,
        chat_format: str = "chatml",
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as error:
            raise ChatModelError(
                "QA_LLM=local needs llama-cpp-python: pip install '.[local-llm]'"
            ) from error
        self.name = model_path.stem
        self.timeout = timeout
        self._lock = threading.Lock()  # one llama.cpp context serves one reply at a time
        # llama-cpp-python would write with half the cores when given no count.
        cores = threads or os.cpu_count() or 1
        self._llama = Llama(
            model_path=str(model_path),
            n_ctx=context_tokens,
            n_threads=cores,
            n_threads_batch=cores,
            # The first token waits on reading the prompt; fused attention reads it ~4%
            # faster on 2 cores (a ~370-token prompt of the packaged 1.5B model: median
            # 4.23 s against 4.41 s, 16 alternating runs, 15 of them faster).
            flash_attn=True,
            chat_format=chat_format,
            seed=0,
            verbose=False,
        )
        self._yes = self._first_tokens(YES)
        self._no = self._first_tokens(NO)

    def _first_tokens(self, words: Sequence[str]) -> list[int]:
        """The tokens that are each one of ``words`` whole (a word split in pieces, as
        another model's tokenizer may, is left out rather than counted by its start)."""
        tokens = [self._llama.tokenize(w.encode(), add_bos=False) for w in words]
        return sorted({t[0] for t in tokens if len(t) == 1})

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        with self._lock, _too_long_as_failure():
            deadline = time.monotonic() + self.timeout
            chunks = self._llama.create_chat_completion(
                messages=cast(Any, list(messages)),  # our TypedDicts match its own
                temperature=0.0,
                max_tokens=max_tokens,
                stream=True,
            )
            finish = None
            for chunk in chunks:
                if time.monotonic() > deadline:
                    raise ChatModelError(f"the local model took over {self.timeout:g} s", "timeout")
                if answer_stopped():
                    raise ChatModelError("nobody waits for the answer any more", "stopped")
                text = _delta(chunk)
                if text:
                    yield text
                finish = _finish(chunk) or finish
            if finish == "length":
                raise ReplyCut(max_tokens)

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        """P(yes) against P(no) for the reply's first token, read from the model's logits
        (one forward pass; the prompt's prefix stays cached for the answer after it)."""
        from llama_cpp import LogitsProcessorList

        if not self._yes or not self._no:
            raise ChatModelError(
                f"{self.name} has no one-token yes and no to judge with", "bad_reply"
            )
        seen: list[np.ndarray] = []

        def keep(_ids: Any, logits: Any) -> Any:
            seen.append(np.array(logits, dtype=np.float64))
            return logits

        with self._lock, _too_long_as_failure():
            started = time.monotonic()
            self._llama.create_chat_completion(
                messages=cast(Any, list(messages)),
                temperature=0.0,
                max_tokens=1,
                logits_processor=LogitsProcessorList([keep]),
            )
            if time.monotonic() - started > self.timeout:
                raise ChatModelError(f"the local model took over {self.timeout:g} s", "timeout")
        if not seen:
            raise ChatModelError("the local model gave no logits", "bad_reply")
        logits = seen[0]
        yes, no = np.logaddexp.reduce(logits[self._yes]), np.logaddexp.reduce(logits[self._no])
        return float(1.0 / (1.0 + np.exp(no - yes)))


class OpenAICompatibleChat:
    """Any OpenAI-compatible server (llama.cpp's, Ollama, vLLM) via llama-index's OpenAILike."""

    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout: float = 60.0
    ) -> None:
        from llama_index.llms.openai_like import OpenAILike

        self.name = model
        self.timeout = timeout
        self._llm = OpenAILike(
            model=model,
            api_base=base_url,
            api_key=api_key or "unused",
            timeout=timeout,
            max_retries=0,
            temperature=0.0,
            is_chat_model=True,
            context_window=8192,
        )

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        return self._reply(messages, max_tokens, whole=True)

    def _reply(
        self, messages: Sequence[PromptMessage], max_tokens: int, whole: bool
    ) -> Iterator[str]:
        """The reply's pieces; ``whole``: a reply cut at ``max_tokens`` is ``ReplyCut``."""
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        # The client's timeout bounds each wait for data; this bounds the whole reply,
        # so a server that streams slowly but steadily cannot hold a request for ever.
        deadline = time.monotonic() + self.timeout
        finish = None
        try:
            for response in self._llm.stream_chat(chat, max_tokens=max_tokens):
                if time.monotonic() > deadline:
                    raise ChatModelError(
                        f"the model server took over {self.timeout:g} s", "timeout"
                    )
                if answer_stopped():
                    raise ChatModelError("nobody waits for the answer any more", "stopped")
                if response.delta:
                    yield response.delta
                choices = getattr(response.raw, "choices", None) or [None]
                finish = getattr(choices[0], "finish_reason", None) or finish
        except ChatModelError:
            raise
        except Exception as error:  # connection refused, timeout, HTTP error
            # The server's own error body may say more than a reader should see (a
            # proxy's page, the key it refused): it goes to the log, its kind to the reader.
            log.warning("the model server failed: %r", error)
            kind, words = _failure(error)
            raise ChatModelError(f"the model server failed: {words}", kind) from error
        if whole and finish == "length":
            raise ReplyCut(max_tokens)

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        """1 if the server's reply begins with yes, 0 if with no: an OpenAI-compatible
        server need not return token probabilities, so its word is taken as it is. Any
        other reply (a reasoning model's "<think>", a proxy's page) is a failure, not a
        no: taken as one, every question would be declined without a word."""
        reply = "".join(self._reply(messages, JUDGE_TOKENS, whole=False))
        reply = reply.strip().lstrip("*_\"'`(").lower()  # "**Yes**", "\"No\""
        if reply.startswith(YES[0]):
            return 1.0
        if reply.startswith(NO[0]):
            return 0.0
        raise ChatModelError(
            f"the model server's reply to a yes-or-no question was {reply!r}", "bad_reply"
        )


@contextmanager
def _too_long_as_failure() -> Iterator[None]:
    """llama.cpp refuses a prompt longer than its context with a ValueError: a failure
    of the model like any other, which the caller answers by quoting."""
    try:
        yield
    except ValueError as error:
        raise ChatModelError(
            f"the local model could not take the prompt: {error}", "too_long"
        ) from error


def _failure(error: Exception) -> tuple[str, str]:
    """What kind of failure an OpenAI client's ``error`` is, in a word and in a few words
    (a wait for data mid-stream is httpx's own error, not the client's)."""
    import httpx
    import openai

    if isinstance(error, openai.APITimeoutError | httpx.TimeoutException):
        return "timeout", "it timed out"
    if isinstance(error, openai.APIConnectionError):
        return "unreachable", "it could not be reached"
    if isinstance(error, httpx.TransportError):
        return "connection", "the connection failed"
    if isinstance(error, openai.APIStatusError):
        return "http_error", f"it answered HTTP {error.status_code}"
    return "failed", type(error).__name__


def _finish(chunk: Any) -> str | None:
    choices = chunk.get("choices") or [{}]
    return choices[0].get("finish_reason")


def _delta(chunk: Any) -> str:
    choices = chunk.get("choices") or [{}]
    return str((choices[0].get("delta") or {}).get("content") or "")
