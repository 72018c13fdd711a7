"""The answerer the settings ask for: quoting, or a language model (in process or on an
OpenAI-compatible server) writing answers the quoting one falls back on.

In: the settings, the evidence scorer and the extractive answerer. Out: the configured
``Answerer``, its model loaded.
"""

from __future__ import annotations

from qa.answer.base import Answerer
from qa.answer.chat import ChatModel, CountedChat, LlamaCppChat, ModelFailures, OpenAICompatibleChat
from qa.answer.evidence import EvidenceScorer
from qa.answer.extractive import ExtractiveAnswerer
from qa.answer.generative import GenerativeAnswerer
from qa.answer.models import resolve_model
from qa.answer.prompts import REWRITE_CONTEXT_TOKENS
from qa.settings import AnswerMode, CoreSettings


def configured_answerer(
    settings: CoreSettings,
    scorer: EvidenceScorer,
    extractive: ExtractiveAnswerer,
    failures: ModelFailures | None = None,
) -> Answerer:
    """The answerer ``settings`` ask for (``QA_LLM``), its language model loaded; the
    extractive one it falls back on is ``extractive``; its model's failures are counted
    in ``failures``."""
    model: ChatModel
    rewriter: ChatModel | None = None
    match settings.llm:
        case AnswerMode.EXTRACTIVE:
            return extractive
        case AnswerMode.LOCAL:
            weights = resolve_model(settings.llm_model, settings.llm_cache_dir)
            model = LlamaCppChat(
                weights,
                context_tokens=settings.llm_context_tokens,
                threads=settings.llm_threads,
                timeout=settings.llm_timeout,
            )
            # Follow-ups are restated on a second, small context of the same weights:
            # on the answer's own context the rewrite's prompt would evict the answer
            # prompt's cached system message, read again at every follow-up (the
            # yes-or-no after a rewrite: 4.99 s p50 on one context, 2.94 s with the
            # rewrite on its own; 12 calibration follow-ups). The file's pages are shared
            # (each context maps them: the resident size counts them twice), but llama.cpp
            # repacks the weights per context: ~0.7 GB more.
            if settings.llm_rewrite_context:
                rewriter = LlamaCppChat(
                    weights,
                    context_tokens=REWRITE_CONTEXT_TOKENS,
                    threads=settings.llm_threads,
                    timeout=settings.llm_timeout,
                )
        case AnswerMode.OPENAI:
            key = settings.openai_api_key
            model = OpenAICompatibleChat(
                settings.openai_base_url,
                settings.openai_model,
                api_key=key.get_secret_value() if key else None,
                timeout=settings.llm_timeout,
            )
    failures = failures or ModelFailures()
    return GenerativeAnswerer(
        CountedChat(model, failures, "answer"),
        scorer,
        extractive,
        max_tokens=settings.llm_max_tokens,
        rewriter=CountedChat(rewriter or model, failures, "rewrite"),
    )
