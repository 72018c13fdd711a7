"""The baseline: llama-index's CitationQueryEngine with its defaults, on the same questions.

In: a question file (JSONL; ``--split`` picks one half of a file that has them) and the
seed articles. Out: the ``qa eval`` table for what a plain llama-index pipeline answers
with the same local model (Qwen2.5-Coder-1.5B-Instruct, greedy, all cores) and the same
embedding model: a VectorStoreIndex over the articles as llama-index reads and chunks
them (SentenceSplitter defaults), CitationQueryEngine with its default prompt, top 2
passages. It has no notion of declining; an answer counts as an abstention when it says
the sources do not tell (the most generous reading). Earlier turns of a follow-up are
put before the question, as the engine takes no history.

    make baseline            # the held-out half of tests/data/readers.jsonl
    make baseline BASELINE_ARGS="--every 3"   # every third question of it
    .venv/bin/python eval/citation_query_engine.py tests/data/readers.jsonl --split heldout
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from llama_index.core import Settings as LlamaSettings
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.query_engine import CitationQueryEngine
from pydantic import PrivateAttr

from qa.answer.models import DEFAULT_MODEL, resolve_model
from qa.cli_measure import print_rows
from qa.evaluate import evaluate, load_questions
from qa.index.embed import load_embed_model
from qa.settings import CoreSettings
from qa.types import Answer, AnswerEvent, Citation, Passage, Turn

ROOT = Path(__file__).resolve().parent.parent
# What an answer says when it finds nothing in its sources.
DECLINES = re.compile(
    r"(does not|doesn't|do not|don't) (say|mention|provide|specify|contain|state|include)|"
    r"no (information|mention)|not (mentioned|provided|specified|stated)|"
    r"cannot (answer|be determined)",
    re.I,
)


class LlamaCppCompletion(CustomLLM):
    """The local GGUF model as a llama-index LLM: greedy completion through its chat template."""

    context_window: int = 4096
    num_output: int = 256
    _llama: Any = PrivateAttr()

    def __init__(self, model_path: Path) -> None:
        super().__init__()
        import os

        from llama_cpp import Llama

        cores = os.cpu_count() or 1
        self._llama = Llama(
            model_path=str(model_path),
            n_ctx=self.context_window,
            n_threads=cores,
            n_threads_batch=cores,
            chat_format="chatml",
            seed=0,
            verbose=False,
        )

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window, num_output=self.num_output, model_name=DEFAULT_MODEL
        )

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        reply = self._llama.create_chat_completion(
            messages=[{"role": "user", "content": prompt}],
            temperature=0.0,
            max_tokens=self.num_output,
        )
        return CompletionResponse(text=reply["choices"][0]["message"]["content"] or "")

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        text = self.complete(prompt).text
        yield CompletionResponse(text=text, delta=text)


def make_asker(engine: CitationQueryEngine) -> Any:
    def ask(question: str, history: Sequence[Turn]) -> Iterator[AnswerEvent]:
        earlier = " ".join(t.content for t in history if t.role.value == "user")
        response = engine.query(f"{earlier}\n{question}" if earlier else question)
        text = str(response).strip()
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
        citations = tuple(
            Citation(n, _passage(node.node), ())
            for n, node in enumerate(response.source_nodes, start=1)
            if n in cited
        )
        answered = bool(text) and not DECLINES.search(text)
        yield Answer(text, answered, citations if answered else ())

    return ask


def _passage(node: Any) -> Passage:
    source = str(node.metadata.get("file_name", ""))
    return Passage(node.node_id, source, node.get_content(), source, None, None, None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--split", choices=["calibration", "heldout"])
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument(
        "--every",
        type=int,
        default=1,
        metavar="N",
        help="only every N-th question (the model takes ~25 s a question on 2 cores)",
    )
    args = parser.parse_args()
    if args.every < 1:
        parser.error("--every must be at least 1")

    settings = CoreSettings()
    LlamaSettings.embed_model = load_embed_model(
        settings.embed_model, settings.embed_backend, cache_dir=settings.embed_cache_dir
    )
    LlamaSettings.llm = LlamaCppCompletion(resolve_model(DEFAULT_MODEL, settings.llm_cache_dir))
    documents = SimpleDirectoryReader(str(ROOT / "seeds")).load_data()
    index = VectorStoreIndex.from_documents(documents)
    engine = CitationQueryEngine.from_args(index)
    questions = load_questions(args.file, split=args.split)[:: args.every]
    report = evaluate(questions, make_asker(engine))
    title = f"llama-index CitationQueryEngine: {args.file} {args.split or ''}"
    if args.every > 1:
        title += f" (every {args.every}th question: {len(questions)})"
    print_rows(title, report.rows())
    if args.json:
        args.json.write_text(json.dumps(json.loads(report.to_json()), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
