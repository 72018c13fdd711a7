"""Draft evaluation questions from each passage of the seed articles with the local model.

In: the seed articles (chunked as the service chunks them). Out: JSONL drafts, one per
passage and style (a reader's paraphrase, a chatty question, a follow-up with the turn
before it), plus an overview question per article, each with the answer the model
gives and where it came from. The drafts are written for a person to check by hand:
keep, fix or drop each one, and fill in the phrasings an answer must contain. They are
never used as they come out.

    .venv/bin/python eval/generate_questions.py seeds > /tmp/drafts.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from qa.answer.chat import LlamaCppChat, PromptMessage
from qa.answer.models import DEFAULT_MODEL, resolve_model
from qa.ingest.chunk import chunk_article
from qa.ingest.formats import decode_article, to_plain_text
from qa.ingest.parse import parse_article
from qa.settings import CoreSettings

STYLES = {
    "paraphrase": (
        "Write one question a reader might ask whose answer is in the passage. Do not copy "
        "the passage's words: use synonyms and your own phrasing."
    ),
    "chatty": (
        "Write one casual, conversational question (like 'so who's ...?', 'tell me about "
        "...', 'anything on ...?') that the passage answers."
    ),
    "followup": (
        "Write two questions a reader asks one after the other about the passage: the "
        "first names the subject, the second refers back to it with a pronoun ('he', "
        "'they', 'it', 'there'). Put them on two lines starting 'First:' and 'Then:'."
    ),
}
OVERVIEW = (
    "Write one question asking for an overview or summary of what this article reports "
    "(like 'what happened with ...', 'summarise ...', 'what role did ... play')."
)
SYSTEM = (
    "You write evaluation questions about news passages. Reply with the question(s), "
    "then a line starting 'Answer:' with the short answer copied from the passage."
)


def ask(model: LlamaCppChat, instruction: str, text: str) -> str:
    messages: list[PromptMessage] = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Passage:\n{text}\n\n{instruction}"},
    ]
    return "".join(model.stream(messages, max_tokens=120)).strip()


def parse_reply(reply: str) -> dict[str, object]:
    """Question, history and answer out of the model's reply (drafts: checked later)."""
    answer = re.search(r"^Answer:\s*(.+)$", reply, re.M | re.I)
    first = re.search(r"^First:\s*(.+)$", reply, re.M | re.I)
    then = re.search(r"^Then:\s*(.+)$", reply, re.M | re.I)
    lines = [line.strip() for line in reply.splitlines() if line.strip()]
    question = then.group(1) if then else next((x for x in lines if x.endswith("?")), lines[0])
    history = [{"role": "user", "content": first.group(1).strip()}] if first else []
    return {
        "question": re.sub(r"^(Question:|Q:)\s*", "", question).strip(),
        "history": history,
        "model_answer": answer.group(1).strip() if answer else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path)
    args = parser.parse_args()
    settings = CoreSettings()
    model = LlamaCppChat(resolve_model(DEFAULT_MODEL, settings.llm_cache_dir), timeout=120)
    for path in sorted(args.seeds.glob("*.txt")):
        raw = to_plain_text(decode_article(path.read_bytes()), path.suffix.lower())
        article = parse_article(path.name, raw)
        drafts = [("overview", OVERVIEW, article.body[:2500], -1)]
        for chunk in chunk_article(article):
            drafts += [(style, rule, chunk.text, chunk.ordinal) for style, rule in STYLES.items()]
        for style, rule, text, ordinal in drafts:
            reply = ask(model, rule, text)
            row = {
                "style": style,
                "source": [path.name],
                "chunk": ordinal,
                "passage": text,
                "reply": reply,
                "provenance": f"drafted by {DEFAULT_MODEL} (greedy) from {path.name}"
                + (f" passage {ordinal}" if ordinal >= 0 else ""),
                **parse_reply(reply),
            }
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
