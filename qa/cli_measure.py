"""The measuring commands of ``qa``: ``eval`` (answer quality on a question set),
``load`` (a running server under many clients) and ``bench`` (speed and scale)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qa.settings import CoreSettings, EmbedBackend

if TYPE_CHECKING:
    from collections.abc import Sequence

console = Console()
errors = Console(stderr=True)


def eval_command(args: argparse.Namespace) -> int:
    """Exit status 0, or 1 when a question could not be asked (it is scored as wrong)."""
    from qa.eval_run import http_asker, run_facts
    from qa.evaluate import evaluate, load_questions
    from qa.service import QAService  # heavy: only for the commands that need it

    questions = load_questions(args.file, split=args.split)
    if not questions:  # a report on no questions would read as a perfect score
        half = f" in the {args.split} half" if args.split else ""
        raise ValueError(f"{args.file} holds no questions{half}")
    if args.stream and not args.url:
        raise ValueError("--stream times a server's streamed answers: give --url too")
    if args.json and not args.json.parent.is_dir():  # known now, not after the whole run
        raise ValueError(f"--json: no such folder: {args.json.parent}")

    def failed(question: str, why: str) -> None:
        errors.print(f"[red]{escape(question)}:[/red] {escape(why)}", soft_wrap=True)

    if args.url:
        url = args.url.rstrip("/")
        facts = run_facts(args.file, args.split, url, args.stream, {})
        asker = http_asker(url, stream=args.stream)
        report = evaluate(questions, asker, streamed=args.stream, on_error=failed)
    else:
        service = QAService(CoreSettings())
        facts = run_facts(args.file, args.split, None, False, asdict(service.status()))
        report = evaluate(questions, lambda q, h: service.ask_stream(q, h), on_error=failed)
    report.run = facts
    print_rows(f"evaluation: {args.file}", report.rows())
    if args.json:
        args.json.write_text(report.to_json())
    return 1 if report.errors else 0


def load_command(args: argparse.Namespace) -> int:
    from qa.evaluate import load_questions
    from qa.load import run_load

    path = args.questions or Path(__file__).resolve().parent.parent / "tests/data/team.jsonl"
    if not path.is_file():  # an installed package has no tests/ beside it
        raise ValueError(f"no question file at {path}: give one with --questions FILE.jsonl")
    questions = [q.question for q in load_questions(path)]
    report = run_load(args.url, questions, clients=args.clients, seconds=args.seconds)
    print_rows(f"load: {args.url}", report.rows())
    return 1 if report.server_errors or report.dropped else 0


def bench_command(args: argparse.Namespace) -> int:
    from qa.bench.run import BenchOptions, report_rows, run_bench

    backends = [EmbedBackend(name.strip()) for name in args.backends.split(",") if name.strip()]
    options = BenchOptions(
        llm_models=_bench_models(args.llm, args.quick),
        quick=args.quick,
        chunks=args.chunks,
        sample=args.sample,
        backends=backends,
        dev=args.dev,
        cache=args.cache,
        out=args.out or Path("bench/results-quick.json" if args.quick else "bench/results.json"),
    )
    report = run_bench(
        CoreSettings(), options, say=lambda line: console.print(line, highlight=False)
    )
    print_rows(f"bench ({report['seconds']} s); written to {options.out}", report_rows(report))
    return 0


def _bench_models(names: str | None, quick: bool) -> list[str]:
    import importlib.util

    from qa.answer.models import PACKAGED_MODELS

    if names is None:
        local = importlib.util.find_spec("llama_cpp") is not None
        return sorted(PACKAGED_MODELS) if local and not quick else []
    return [name.strip() for name in names.split(",") if name.strip() not in ("", "none")]


def print_rows(title: str, rows: Sequence[tuple[str, str]]) -> None:
    """A two-column table of measures and their values."""
    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for measure, value in rows:
        table.add_row(measure, value)
    console.print(table)
