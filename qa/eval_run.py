"""How ``qa eval`` asks a running server, and what a run records of itself.

In: a server's URL (its ``/api/ask``, or ``/api/chat`` streamed). Out: the answers as
the service's own ``Answer`` events, and the facts that make two runs comparable: the
question file and half, how the answers were asked, the server's answerer and index,
the code's commit, the machine and the date.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.evaluate import Asker
from qa.types import Answer, AnswerEvent, AnswerOrigin, Citation, Passage, Token, Turn


def http_asker(base_url: str, timeout: float = 300.0, stream: bool = False) -> Asker:
    """Ask a running server: ``POST /api/ask`` (the JSON answer), or with ``stream``
    ``POST /api/chat`` (the same answer as Server-Sent Events, which also times the first
    token). The response carries only the cited passages, so retrieval hit@k and MRR
    measured this way count cited passages only."""
    import httpx

    client = httpx.Client(base_url=base_url, timeout=timeout)

    def ask(question: str, history: Sequence[Turn]) -> Iterator[AnswerEvent]:
        body = {
            "question": question,
            "history": [{"role": t.role.value, "content": t.content} for t in history],
        }
        if not stream:
            response = client.post("/api/ask", json=body)
            _check(response)
            yield answer_from_json(response.json())
            return
        with client.stream("POST", "/api/chat", json=body) as response:
            if response.is_error:
                response.read()
                _check(response)
            for name, data in iter_sse(response.iter_lines()):
                if name == "token":
                    yield Token(json.loads(data)["text"])
                elif name == "done":
                    yield answer_from_json(json.loads(data))
                elif name == "error":
                    raise RuntimeError(json.loads(data)["detail"])

    return ask


def _check(response: Any) -> None:
    """An error status as the server's own words: "HTTP 503: the vector store …"."""
    if response.is_error:
        try:
            detail = response.json().get("detail")
        except ValueError:
            detail = None
        said = detail if isinstance(detail, str) else response.reason_phrase
        raise RuntimeError(f"HTTP {response.status_code}: {said}")


def iter_sse(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(event, data) of each Server-Sent Event in a stream of lines."""
    name, data = "message", list[str]()
    for line in lines:
        line = line.rstrip("\r")
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
        elif not line.startswith(":"):
            field_name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field_name == "event":
                name = value
            elif field_name == "data":
                data.append(value)
    if data:
        yield name, "\n".join(data)


def answer_from_json(body: dict[str, Any]) -> Answer:
    """An ``Answer`` from the API's response body (passages: the cited ones only)."""
    citations = _citations_from_json(body["citations"])
    return Answer(
        body["answer"],
        body["answered"],
        citations,
        AnswerOrigin(body.get("mode", AnswerOrigin.EXTRACTIVE)),
        passages=tuple(c.passage for c in citations),
        dropped=body.get("dropped_sentences", 0),
        notice=body.get("notice"),
        nearest=_citations_from_json(body.get("nearest", [])),
    )


def _citations_from_json(rows: Sequence[dict[str, Any]]) -> tuple[Citation, ...]:
    return tuple(
        Citation(
            n=c["n"],
            passage=Passage(
                f"{c['source']}#{c['n']}",
                c["source"],
                c["quote"],
                c["title"],
                c["publisher"],
                c["published"],
                None,
            ),
            cited_sentences=tuple(c.get("cited_sentences", ())),
        )
        for c in rows
    )


def run_facts(
    file: Path, split: str | None, url: str | None, stream: bool, in_process: dict[str, Any]
) -> dict[str, Any]:
    """What makes this run comparable with another: where its questions come from, how
    they were asked, what answered them (the server's ``/readyz``, or the settings in
    process), the code's commit and the machine."""
    facts: dict[str, Any] = {
        "file": str(file),
        "split": split,
        "asked": (f"{url}/api/chat (streamed)" if stream else f"{url}/api/ask")
        if url
        else "in process",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()}",
    }
    if url:
        import httpx

        try:
            facts["server"] = httpx.get(f"{url}/readyz", timeout=10).json()
        except (httpx.HTTPError, ValueError) as error:
            facts["server"] = {"error": f"/readyz: {error}"}
    else:
        facts["server"] = in_process
    return facts


def _commit() -> str | None:
    """The checkout's commit, "+changes" when its files differ from it; None outside one."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True
        )
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=here,
            capture_output=True,
            text=True,
        )
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+changes" if changed.stdout.strip() else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
