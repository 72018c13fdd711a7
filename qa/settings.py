"""Settings of the whole service, read from ``QA_*`` environment variables (and ``.env``).

Defaults work offline on a laptop: an embedded Chroma store in ``vectorstore/``,
the packaged all-MiniLM-L6-v2 embedding model and the extractive answerer.
``CoreSettings`` is what the question-answering service needs (the CLI builds it
alone); ``ServerSettings`` adds what only the HTTP server reads; ``Settings`` is both,
one object for ``qa serve``. Only the service reads settings: the parts it builds
take plain values.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from difflib import get_close_matches
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class AnswerMode(StrEnum):
    """Which answerer writes the answer."""

    EXTRACTIVE = "extractive"  # quotes the best-supported sentences; no language model
    LOCAL = "local"  # a GGUF model run in process by llama.cpp
    OPENAI = "openai"  # any OpenAI-compatible server


class EmbedBackend(StrEnum):
    """What runs the embedding model. Vectors of different backends are never mixed."""

    TORCH = "torch"  # sentence-transformers on PyTorch
    ONNX = "onnx"  # the same model exported to ONNX: the same vectors, faster, no torch loaded
    ONNX_INT8 = "onnx-int8"  # quantised per channel: twice as fast, vectors move slightly


# A host name as RFC 1123 spells one: dot-separated labels of letters, digits and inner
# hyphens, 63 characters at most each.
_HOST = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


_CONFIG = SettingsConfigDict(
    env_prefix="QA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
)


class CoreSettings(BaseSettings):
    """The store, the models, retrieval and answering; every field is ``QA_<NAME>``."""

    model_config = _CONFIG

    store_dir: Path = Field(Path("vectorstore"), description="Embedded Chroma store folder.")
    chroma_url: str | None = Field(None, description="Chroma server URL; embedded if unset.")
    collection: str = Field("articles", description="Chroma collection name.")
    seeds_dir: Path = Field(Path("seeds"), description="Articles indexed by `qa ingest`.")

    embed_model: str | None = Field(
        None, description="Sentence-transformers model folder; the packaged MiniLM if unset."
    )
    embed_backend: EmbedBackend = Field(
        EmbedBackend.ONNX, description="Embedding runtime: torch, onnx or onnx-int8."
    )
    embed_cache_dir: Path = Field(
        Path.home() / ".cache" / "qa" / "embeddings",
        description="Where the ONNX exports of the embedding model are kept.",
    )
    embed_threads: int | None = Field(
        None, ge=1, description="ONNX Runtime threads; all cores if unset."
    )
    embed_batch_size: int = Field(16, ge=1, le=1024, description="Texts per model call.")
    ingest_batch_chunks: int = Field(
        256, ge=1, le=10_000, description="Chunks embedded and written together on ingest."
    )

    chunk_words: int = Field(90, ge=20, le=1000, description="Target words per chunk.")
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)

    top_k: int = Field(5, ge=1, le=50, description="Passages an answer may draw on.")
    overview_top_k: int = Field(
        10,
        ge=1,
        le=50,
        description='Passages an overview may draw on ("tell me about", "what role"): '
        "it spans more than a fact does.",
    )
    candidates: int = Field(20, ge=1, le=200, description="Hits per retriever before fusion.")
    fusion: Literal["relative", "rrf"] = Field(
        "relative",
        description="How dense and BM25 hits are fused: relative (min-max normalised "
        "scores, weighted) or rrf (reciprocal rank fusion).",
    )
    dense_weight: float = Field(
        0.5, ge=0, le=1, description="Relative fusion: the dense score's weight (BM25: 1 - it)."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant (fusion=rrf).")
    keyword_sync_seconds: float = Field(
        1.0, ge=0, description="How often a server checks whether another one changed the index."
    )

    llm: AnswerMode = Field(
        AnswerMode.EXTRACTIVE, description="Answerer: extractive, local or openai."
    )
    max_answer_sentences: int = Field(3, ge=1, le=3)
    llm_model: str = Field(
        "qwen2.5-coder-1.5b-instruct",
        description="Local model: a packaged model's name or the path of a GGUF file.",
    )
    llm_cache_dir: Path = Field(
        Path.home() / ".cache" / "qa" / "models",
        description="Where packaged models are joined from their parts.",
    )
    llm_threads: int | None = Field(
        None, ge=1, description="llama.cpp threads; all cores if unset."
    )
    llm_context_tokens: int = Field(4096, ge=512)
    llm_rewrite_context: bool = Field(
        True,
        description="Restate follow-ups on a second llama.cpp context (about 0.7 GB more "
        "memory; a follow-up's first token about 2 s sooner).",
    )
    llm_max_tokens: int = Field(200, ge=16, le=2048, description="Longest generated answer.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds each language model call may take.")
    llm_queue_depth: int = Field(
        4, ge=1, description="Generated answers admitted at once (local: one runs, the rest wait)."
    )
    openai_base_url: str = Field(
        "http://127.0.0.1:8080/v1", description="OpenAI-compatible server for QA_LLM=openai."
    )
    openai_model: str = Field("default", description="Model name sent to that server.")

    openai_api_key: SecretStr | None = Field(None, description="Key for that server, if any.")
    max_document_bytes: int = Field(
        2_000_000, ge=1, description="Largest article file (or fetched page) accepted."
    )
    fetch_timeout: float = Field(15.0, gt=0, description="Seconds a page fetch may take in all.")
    fetch_max_redirects: int = Field(5, ge=0, le=20, description="Redirects a fetch follows.")
    allow_private_urls: bool = Field(
        False,
        description="Fetch pages on private, loopback and link-local addresses too "
        "(an intranet archive; tests).",
    )

    @field_validator("openai_base_url")
    @classmethod
    def _base_url_is_http(cls, value: str) -> str:
        # Without a scheme the client takes the URL as a path on no host: every answer
        # would then fail with "Connection error", however the server was set up.
        url = urlparse(value)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"must be http(s)://host:port/v1, got {value!r}")
        return value


class ServerSettings(BaseSettings):
    """What only the HTTP server reads: address, key, limits per request, CORS."""

    model_config = _CONFIG

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # uvicorn's 5 s default closes idle connections while clients and proxies still
    # reuse them: a request sent at that moment is dropped with no response (seen under
    # 64 concurrent clients). Longer than common proxies' idle timeouts (60 s), as their
    # documentation advises for the servers behind them.
    keep_alive_seconds: int = Field(
        75, ge=1, le=3600, description="How long an idle keep-alive connection stays open."
    )
    api_key: SecretStr | None = Field(
        None, description="If set, document writes need `Authorization: Bearer <key>`."
    )
    served_model: str = Field(
        "mosul-qa", description="Model id the OpenAI-compatible endpoint answers as."
    )
    max_question_chars: int = Field(2000, ge=1, le=100_000, description="Longest question.")
    max_history_turns: int = Field(20, ge=0, le=1000, description="Most earlier messages.")
    max_history_chars: int = Field(
        20_000, ge=0, description="Most characters in all earlier messages together."
    )
    max_request_bytes: int = Field(
        262_144, ge=1024, description="Largest request body, documents aside."
    )
    rate_limit: str | None = Field(
        None, description="Per-client limit on API calls, e.g. `60/minute`; off if unset."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Web origins allowed to call the API; none if empty."
    )
    forwarded_allow_ips: str | None = Field(
        None,
        description="Proxies whose X-Forwarded-For names the client (comma-separated "
        "addresses or networks, `*` any); if unset, the connecting address is the client.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names the server answers to besides loopback names and IP "
        "addresses (`qa.example.org`, `*.example.org`; `*` any).",
    )

    @field_validator("api_key")
    @classmethod
    def _api_key_is_given(cls, value: SecretStr | None) -> SecretStr | None:
        # `-e QA_API_KEY="$KEY"` with $KEY unset gives an empty key, which every request
        # without one would match: the operator believes writes are closed, and they are
        # open to all.
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("is set but empty; give a key, or unset it to leave writes open")
        return value

    @field_validator("host")
    @classmethod
    def _host_is_an_address(cls, value: str) -> str:
        # Checked here rather than by the server, which stops with a traceback of its own
        if _HOST.fullmatch(value) is None and not _is_ip(value):
            raise ValueError(f"expected an IP address or a host name, got {value!r}")
        return value

    @field_validator("cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _list_as_written(cls, value: object) -> object:
        # A JSON list, as pydantic-settings reads lists, or names separated by commas
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            try:
                return json.loads(value)
            except json.JSONDecodeError as error:
                raise ValueError(f"not a JSON list ({error})") from None
        return [origin.strip() for origin in value.split(",") if origin.strip()]

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str | None) -> str | None:
        if value:
            from limits import parse

            parse(value)  # raises ValueError for anything but "N/second|minute|hour|day"
        return value or None


class Settings(ServerSettings, CoreSettings):
    """Everything ``qa serve`` reads: the service's settings and the server's."""

    model_config = _CONFIG


def settings_problems(error: ValidationError) -> str:
    """A settings error in the words of the environment that gave it: each variable
    (``QA_TOP_K``, not pydantic's ``top_k``) with what is wrong with its value."""
    return "; ".join(
        f"QA_{str(e['loc'][0]).upper() if e['loc'] else '?'}: "
        f"{e['msg'].removeprefix('Value error, ')}"
        for e in error.errors()
    )


def unknown_variables(environ: Mapping[str, str], env_file: Path = Path(".env")) -> list[str]:
    """A warning for each ``QA_*`` name in the environment or in ``.env`` that names no
    setting: pydantic-settings ignores them, so a misspelt ``QA_LMM=local`` would give
    the defaults without a word."""
    known = {f"QA_{name.upper()}" for name in Settings.model_fields}
    names = set(environ)
    if env_file.is_file():
        names |= set(dotenv_values(env_file))
    warnings = []
    for name in sorted(n for n in names if n.upper().startswith("QA_") and n.upper() not in known):
        close = get_close_matches(name.upper(), known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        warnings.append(f"{name} is not a setting and is ignored{hint}")
    return warnings
