"""The qa command: ingest articles, ask questions, evaluate, serve the API."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qa.cli_measure import bench_command, eval_command, load_command
from qa.cli_store import compact_command, move_store_aside
from qa.settings import CoreSettings, EmbedBackend, Settings, settings_problems, unknown_variables
from qa.types import Answer, Filters, IngestOutcome, first_day, last_day

if TYPE_CHECKING:
    from qa.ingest.pipeline import IngestReport
    from qa.service import QAService

console = Console()
errors = Console(stderr=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for warning in unknown_variables(os.environ):
        errors.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
    try:
        return int(args.run(args) or 0)
    except BrokenPipeError:  # the reader stopped (`qa list --json | head`): not an error
        # Python's own advice: point stdout at nothing so that its flush at exit is quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (FileNotFoundError, ValueError, RuntimeError) as error:
        said = settings_problems(error) if isinstance(error, ValidationError) else str(error)
        errors.print(f"[red]error:[/red] {escape(said)}", highlight=False, soft_wrap=True)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = sub.add_parser(
        "ingest", help="index article files, folders or web pages (default: the seeds folder)"
    )
    ingest.add_argument(
        "paths", nargs="*", help=".txt, .md or .html files, folders, or http(s) URLs of pages"
    )
    ingest.add_argument(
        "--delete",
        metavar="NAME",
        action="append",
        default=[],
        help="remove the article ingested from file NAME (repeatable)",
    )
    ingest.add_argument(
        "--if-empty", action="store_true", help="do nothing if the index already holds articles"
    )
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="move the embedded store aside (kept, renamed) and index the files into a new one",
    )
    ingest.set_defaults(run=_ingest)

    compact = sub.add_parser(
        "compact",
        help="give back the disk space deleted and replaced articles leave in the embedded "
        "store (stop the server first)",
    )
    compact.set_defaults(run=compact_command)

    ask = sub.add_parser("ask", help="answer a question with cited sources")
    ask.add_argument("question", help="exit status 0 when answered, 1 when the articles don't say")
    ask.add_argument(
        "--top-k", type=_int_in(1, 50), default=None, help="passages to retrieve (1 to 50)"
    )
    ask.add_argument(
        "--since",
        type=_date_bound(first_day),
        metavar="DATE",
        help="only articles published from this day, month or year (YYYY-MM-DD, YYYY-MM, YYYY)",
    )
    ask.add_argument(
        "--until",
        type=_date_bound(last_day),
        metavar="DATE",
        help="only articles published to this day, or the end of this month or year",
    )
    ask.add_argument(
        "--source", action="append", default=[], metavar="NAME", help="only this article file"
    )
    ask.add_argument(
        "--publisher", action="append", default=[], metavar="OUTLET", help="only this outlet"
    )
    ask.add_argument("--json", action="store_true", help="print the API's JSON response")
    ask.set_defaults(run=_ask)

    evaluate = sub.add_parser("eval", help="score a JSONL question set")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--json", type=Path, metavar="OUT", help="also write the report here")
    evaluate.add_argument(
        "--url",
        metavar="URL",
        help="ask a running server (e.g. http://127.0.0.1:8000) through POST /api/ask",
    )
    evaluate.add_argument(
        "--stream", action="store_true", help="with --url: POST /api/chat (times the first token)"
    )
    evaluate.add_argument(
        "--split", choices=["calibration", "heldout"], help="only the questions of this half"
    )
    evaluate.set_defaults(run=eval_command)

    load = sub.add_parser("load", help="load-test a running server on /api/ask and /api/search")
    load.add_argument(
        "--url", default="http://127.0.0.1:8000", help="the server (default: %(default)s)"
    )
    load.add_argument(
        "--clients", type=int, default=64, help="requests in flight (default: %(default)s)"
    )
    load.add_argument("--seconds", type=float, default=30, help="how long (default: %(default)s)")
    load.add_argument(
        "--questions",
        type=Path,
        help="a JSONL question set (default: the team's questions, tests/data/team.jsonl)",
    )
    load.set_defaults(run=load_command)

    bench = sub.add_parser(
        "bench", help="measure ingestion, retrieval, answers and start-up, at seed and large scale"
    )
    bench.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, to try the bench out: a few minutes (the first run builds its "
        "index); written to bench/results-quick.json, its figures too noisy to judge targets by",
    )
    bench.add_argument(
        "--chunks", type=int, help="chunks in the large index (default 100,000; 1,500 quick)"
    )
    bench.add_argument("--sample", type=int, help="chunks per embedding backend run")
    bench.add_argument(
        "--backends",
        default=",".join(b.value for b in EmbedBackend),
        help="embedding backends to compare (comma-separated)",
    )
    bench.add_argument("--dev", type=Path, default=Path("../shared/eval/dev.jsonl"))
    bench.add_argument(
        "--cache", type=Path, default=Path("bench/cache"), help="where large indexes are kept"
    )
    bench.add_argument(
        "--out",
        type=Path,
        help="default bench/results.json (the README's figures), bench/results-quick.json quick",
    )
    bench.add_argument(
        "--llm",
        default=None,
        help="local models to time generated answers with (comma-separated, or 'none'); "
        "default: every packaged model if llama-cpp-python is installed, none with --quick",
    )
    bench.set_defaults(run=bench_command)

    articles = sub.add_parser("list", help="list indexed articles")
    articles.add_argument(
        "--json", action="store_true", help="one JSON object per article, a line each"
    )
    articles.set_defaults(run=_list)

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=_int_in(1, 65535), default=None)
    serve.set_defaults(run=_serve)
    return parser


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low} to {high}")
        return value

    return number


def _date_bound(parse: Callable[[str], date]) -> Callable[[str], date]:
    def bound(text: str) -> date:
        try:
            return parse(text)
        except ValueError as error:  # argparse would print only "invalid bound value"
            raise argparse.ArgumentTypeError(str(error)) from None

    return bound


def _service() -> QAService:
    from qa.service import QAService  # heavy imports only for commands that need them

    return QAService(CoreSettings())


def _ingest(args: argparse.Namespace) -> int:
    held = _hold_store(CoreSettings())  # noqa: F841  (held until the process ends)
    if args.rebuild:
        move_store_aside(CoreSettings())
    service = _service()
    failed = False
    for name in args.delete:
        removed = service.delete(name)
        if removed:
            console.print(f"{escape(name)}: removed {removed} chunks", highlight=False)
            continue
        # --delete takes the name the article was ingested as, not the file's path
        alike = service.named_alike(Path(name).name)
        hint = f" (did you mean {alike!r}?)" if alike else ""
        hint = hint or (f" (its name is {Path(name).name!r})" if Path(name).name != name else "")
        said = escape(f"{name}: not indexed{hint}")
        errors.print(f"[yellow]{said}[/yellow]", highlight=False, soft_wrap=True)
        failed = True
    if args.delete and not args.paths:
        return 1 if failed else 0
    if args.if_empty and (chunks := service.status().chunks) > 0:
        console.print(f"index holds {chunks} chunks; nothing to do")
        return 0
    # anything with a scheme goes to the fetcher, which refuses what is not http(s)
    urls = [p for p in args.paths if re.match(r"^[a-z][a-z0-9+.-]*://", p, re.I)]
    paths = [Path(p) for p in args.paths if p not in urls]
    for url in urls:
        try:
            name, outcome, detail = service.add_url(url)
        except ValueError as error:
            said = str(error) if url in str(error) else f"{url}: {error}"  # once
            errors.print(f"[red]{escape(said)}[/red]", highlight=False, soft_wrap=True)
            failed = True
            continue
        console.print(escape(f"{url} → {name}: {outcome.value} ({detail})"), highlight=False)
    if paths or not urls:
        try:
            report = service.ingest(paths or [service.settings.seeds_dir])
        except ValueError as error:
            errors.print(f"[red]{escape(str(error))}[/red]", highlight=False, soft_wrap=True)
            return 1
        except FileNotFoundError as error:
            if paths:
                raise
            raise FileNotFoundError(  # the default, relative to where qa runs
                f"{error}; give files or folders to ingest, or set QA_SEEDS_DIR"
            ) from None
        if not report.outcomes:
            where = ", ".join(str(p) for p in paths) or str(service.settings.seeds_dir)
            errors.print(f"no article files (.txt, .md, .html) in {escape(where)}", soft_wrap=True)
            return 1
        # An archive ingested again is mostly unchanged: those go without a line each
        quiet = len(report.outcomes) > LISTED_FILES
        for name, (outcome, detail) in report.outcomes.items():
            if not (quiet and outcome is IngestOutcome.UNCHANGED):
                console.print(escape(f"{name}: {outcome.value} ({detail})"), highlight=False)
            # A file that could not be read fails the run, as a page not fetched does.
            failed = failed or outcome is IngestOutcome.SKIPPED
        console.print(_ingest_summary(report, quiet), highlight=False)
    console.print(f"index holds {service.status().chunks} chunks", highlight=False)
    return 1 if failed else 0


LISTED_FILES = 20  # past this many files, the unchanged ones are counted, not listed


def _ingest_summary(report: IngestReport, quiet: bool) -> str:
    """ "1,511 files: 3 added, 1,500 unchanged (not listed), 8 skipped"."""
    counts = [(outcome, report.count(outcome)) for outcome in IngestOutcome]
    said = [
        f"{n:,} {outcome.value}"
        + (" (not listed)" if quiet and outcome is IngestOutcome.UNCHANGED else "")
        for outcome, n in counts
        if n
    ]
    return f"{len(report.outcomes):,} files: " + ", ".join(said)


def _ask(args: argparse.Namespace) -> int:
    filters = Filters(args.since, args.until, tuple(args.source), tuple(args.publisher))
    answer = _service().ask(args.question, top_k=args.top_k, filters=filters)
    if args.json:
        import json

        print(json.dumps(answer.as_dict(), indent=2, ensure_ascii=False))
    else:
        print_answer(answer)
    return 0 if answer.answered else 1


def print_answer(answer: Answer) -> None:
    # Article text goes out escaped: Rich would read "[that is]" in a quote as markup and
    # drop it, and a "[/]" would stop the command.
    console.print(escape(answer.text), highlight=False)
    for citation in answer.citations:
        p = citation.passage
        meta = ", ".join(x for x in (p.publisher, p.published) if x)
        heading = escape(p.title + (f" ({meta})" if meta else ""))
        console.print(f"\n[bold]\\[{citation.n}][/bold] {heading}", highlight=False)
        console.print(escape(f"    {p.source}"), style="dim", highlight=False)
        for sentence in citation.cited_sentences:
            console.print(escape(f"    “{sentence}”"), highlight=False)
    if answer.nearest:
        console.print("\nClosest passages (they may not answer the question):", style="dim")
    for citation in answer.nearest:
        p = citation.passage
        meta = ", ".join(x for x in (p.title, p.publisher, p.published) if x)
        quote = " ".join(citation.cited_sentences)
        console.print(escape(f"  {citation.n}. “{quote}”"), highlight=False)
        console.print(escape(f"     {meta}"), style="dim", highlight=False)


def _list(args: argparse.Namespace) -> int:
    articles = _service().articles()
    if args.json:  # for scripts: whole, however many, whatever the terminal's width
        import json
        from dataclasses import asdict

        for article in articles:
            print(json.dumps(asdict(article), ensure_ascii=False))
        sys.stdout.flush()  # here, not at exit: a reader gone is told to ``main``
        return 0
    table = Table(caption=f"{len(articles)} article{'' if len(articles) == 1 else 's'}")
    # the source is what --source and --delete take: shown whole, however narrow the output
    table.add_column(
        "source", no_wrap=True, min_width=max((len(a.source) for a in articles), default=6)
    )
    for column in ("title", "publisher", "published", "chunks"):
        table.add_column(column)
    for article in articles:
        table.add_row(
            *(escape(cell) for cell in (article.source, article.title, article.publisher or "")),
            article.published or "",
            str(article.chunks),
        )
    console.print(table)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from api.app import serve

    given = {name: value for name, value in (("host", args.host), ("port", args.port)) if value}
    settings = Settings(**given)  # checked as QA_HOST and QA_PORT are
    held = _hold_store(settings)  # noqa: F841  (held until the process ends)
    serve(settings)
    return 0


def _hold_store(settings: CoreSettings) -> object:
    """The embedded store, taken for this server or writer (None on a Chroma server)."""
    from qa.index.store import hold_store

    return None if settings.chroma_url else hold_store(settings.store_dir)


if __name__ == "__main__":
    sys.exit(main())
