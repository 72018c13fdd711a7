"""The ``qa`` command end to end, in a subprocess, on a temporary store."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import DATA, SEEDS, page_server
from tests.helpers import run_qa as _qa

pytestmark = pytest.mark.integration


def test_ingest_ask_delete_round_trip(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest = _qa(store, "ingest")
    assert ingest.returncode == 0, ingest.stderr
    assert "000_8ae4ba73e080a6d3.txt: added" in ingest.stdout
    assert "nothing to do" in _qa(store, "ingest", "--if-empty").stdout

    ask = _qa(store, "ask", "How many PMU fighters were allegedly killed?")
    assert ask.returncode == 0
    assert "Five PMU fighters" in ask.stdout and "003_cfdb91c2d4b0977c.txt" in ask.stdout

    as_json = json.loads(_qa(store, "ask", "--json", "Who leads the SDF?").stdout)
    assert set(as_json) >= {"answer", "answered", "citations"}

    assert _qa(store, "ingest", "--delete", "003_cfdb91c2d4b0977c.txt").returncode == 0
    gone = _qa(store, "ask", "How many PMU fighters were allegedly killed?")
    assert "003_cfdb91c2d4b0977c.txt" not in gone.stdout


def test_ingest_refuses_two_files_of_one_name_and_fails_on_a_skipped_file(
    tmp_path: Path,
) -> None:
    store, pages = tmp_path / "store", tmp_path / "pages"
    for folder, seed in (("a", "000_8ae4ba73e080a6d3.txt"), ("b", "002_eda97d55f238a577.txt")):
        (pages / folder).mkdir(parents=True)
        (pages / folder / "story.txt").write_text((SEEDS / seed).read_text())
    clash = _qa(store, "ingest", str(pages), str(pages / "a" / "story.txt"))  # a/ named twice
    assert clash.returncode == 1 and "rename one, nothing was ingested" in clash.stderr
    assert clash.stderr.count(str(pages / "a" / "story.txt")) == 1  # read once, not replaced
    (pages / "b" / "story.txt").rename(pages / "b" / "other.txt")
    (pages / "b" / "empty.txt").write_text("")
    partly = _qa(store, "ingest", str(pages))
    assert partly.returncode == 1 and "story.txt: added" in partly.stdout
    assert "empty.txt: skipped" in partly.stdout
    deleted = _qa(store, "ingest", "--delete", "missing.txt", "--delete", "story.txt")
    assert deleted.returncode == 1 and "story.txt: removed" in deleted.stdout


def test_unknown_path_is_a_clear_error(tmp_path: Path) -> None:
    result = _qa(tmp_path / "store", "ingest", str(tmp_path / "missing"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    seedless = _qa(tmp_path / "store", "ingest", env={"QA_SEEDS_DIR": str(tmp_path / "seeds")})
    assert seedless.returncode == 2 and "give files or folders" in seedless.stderr
    (tmp_path / "empty").mkdir()
    empty = _qa(tmp_path / "store", "ingest", str(tmp_path / "empty"))
    assert empty.returncode == 1 and "no article files (.txt, .md, .html) in" in empty.stderr
    ftp = _qa(tmp_path / "store", "ingest", "ftp://example.com/a.txt")
    assert ftp.returncode == 1 and "no such file" not in ftp.stderr
    assert "ftp://example.com/a.txt" in ftp.stderr


def test_a_delete_that_finds_nothing_still_ingests_and_names_the_article(
    tmp_path: Path,
) -> None:
    store, story = tmp_path / "store", tmp_path / "story.txt"
    story.write_text((SEEDS / "000_8ae4ba73e080a6d3.txt").read_text())
    result = _qa(store, "ingest", "--delete", str(tmp_path / "gone.txt"), str(story))
    assert result.returncode == 1 and "story.txt: added" in result.stdout
    assert "gone.txt: not indexed (its name is 'gone.txt')" in result.stderr
    again = _qa(store, "ingest", "--delete", "STORY.TXT")
    assert again.returncode == 1 and "did you mean 'story.txt'?" in again.stderr


def test_eval_of_no_questions_is_a_clear_error(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "1", "question": "Who leads the SDF?"}) + "\n")
    result = _qa(tmp_path / "store", "eval", str(questions), "--split", "heldout")
    assert result.returncode == 2 and "holds no questions in the heldout half" in result.stderr


@pytest.mark.parametrize(
    ("line", "says"),
    [("[1, 2]", "a JSON list, not an object"), ('{"id": "1"}', "no 'question' field")],
)
def test_eval_of_a_line_that_is_no_question_names_the_line(
    tmp_path: Path, line: str, says: str
) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(line + "\n")
    result = _qa(tmp_path / "store", "eval", str(questions))
    assert result.returncode == 2 and f"q.jsonl:1: not a question line ({says})" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "Who?", "--top-k", "0"),
        ("ask", "Who?", "--top-k", "51"),
        ("serve", "--port", "99999"),
    ],
)
def test_numbers_out_of_range_are_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _qa(tmp_path / "store", *args)
    assert result.returncode == 2 and "is outside" in result.stderr


def test_settings_are_checked_in_the_names_they_are_given_by(tmp_path: Path) -> None:
    env = {"QA_LMM": "local", "QA_OPENAI_BASE_URL": "127.0.0.1:8080/v1", "QA_TOP_K": "0"}
    result = _qa(tmp_path / "store", "serve", "--port", "8999", env=env)
    assert result.returncode == 2, result.stderr
    assert "QA_LMM is not a setting and is ignored (did you mean QA_LLM?)" in result.stderr
    assert "QA_OPENAI_BASE_URL: must be http(s)://host:port/v1" in result.stderr
    assert "QA_TOP_K: Input should be greater than or equal to 1" in result.stderr
    assert "pydantic.dev" not in result.stderr


def test_article_text_is_printed_as_it_is_not_read_as_markup(tmp_path: Path) -> None:
    # Rich reads "[...]" as markup: a quote lost its "[that is]", and "[/]" stopped the command
    store, story = tmp_path / "store", tmp_path / "bracket-story-with-a-long-name.txt"
    story.write_text(
        "Victory [declared] in Mosul\n\n"
        "The prime minister declared victory [that is] in Mosul on 10 July 2017 [/] after "
        "nine months of fighting against the jihadists.\n"
    )
    assert _qa(store, "ingest", str(story)).returncode == 0
    ask = _qa(store, "ask", "When did the prime minister declare victory in Mosul?")
    assert ask.returncode == 0, ask.stderr
    assert "victory [that is] in Mosul on 10 July 2017 [/] after" in ask.stdout
    assert "Victory [declared] in Mosul" in ask.stdout
    listed = _qa(store, "list", env={"COLUMNS": "40"})
    assert story.name in listed.stdout  # the name --delete takes, whole


def test_list_counts_the_articles_and_gives_json_lines(tmp_path: Path) -> None:
    store, story = tmp_path / "store", tmp_path / "victory.txt"
    story.write_text("Victory declared in Mosul\n\nThe prime minister declared victory.\n")
    assert _qa(store, "ingest", str(story)).returncode == 0
    assert "1 article" in _qa(store, "list").stdout
    rows = [json.loads(line) for line in _qa(store, "list", "--json").stdout.splitlines()]
    assert [(r["source"], r["title"]) for r in rows] == [(story.name, "Victory declared in Mosul")]
    # a reader gone before anything is written (`qa list --json | head -1`) is no error
    command = f"{sys.executable} -m qa.cli list --json | true"
    env = {**os.environ, "QA_STORE_DIR": str(store)}
    piped = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, env=env
    )
    assert piped.returncode == 0 and "Traceback" not in piped.stderr, piped.stderr


def test_eval_writes_json(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _qa(store, "ingest")
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "1",
                "kind": "fact",
                "must": [["ypg"]],
                "question": "Which Kurdish group leads the SDF?",
                "source": ["002_eda97d55f238a577.txt"],
            }
        )
        + "\n"
    )
    result = _qa(store, "eval", str(questions), "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["accuracy"] == 1.0 and report["questions"] == 1
    # what makes two runs comparable travels with the figures
    run = report["run"]
    assert run["file"] == str(questions) and run["asked"] == "in process"
    assert run["server"]["articles"] == 5 and run["server"]["answerer"] == "extractive"
    assert run["commit"] and run["machine"] and run["started"]


def test_eval_records_a_question_the_server_failed_and_goes_on(tmp_path: Path) -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from tests.helpers import serving

    asked: list[str] = []

    async def ask(request):  # type: ignore[no-untyped-def]
        question = (await request.json())["question"]
        asked.append(question)
        if question.startswith("Which"):
            return JSONResponse({"detail": "the vector store does not answer"}, 503)
        body = {"answer": "The articles don't say.", "answered": False, "citations": []}
        return JSONResponse(body)

    async def ready(request):  # type: ignore[no-untyped-def]
        return JSONResponse({"ready": True, "answerer": "extractive"})

    app = Starlette(routes=[Route("/api/ask", ask, methods=["POST"]), Route("/readyz", ready)])
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "f", "must": [["ypg"]], "question": "Which Kurdish group leads the SDF?"},
        {"id": "u", "kind": "unanswerable", "question": "Who won the 2030 election?"},
    ]
    questions.write_text("".join(json.dumps(row) + "\n" for row in rows))
    out = tmp_path / "r.json"
    with serving(app) as url:  # type: ignore[arg-type]
        result = _qa(tmp_path / "store", "eval", str(questions), "--url", url, "--json", str(out))
    assert len(asked) == 2  # the run went on past the failure
    assert result.returncode == 1
    assert "f: HTTP 503: the vector store does not answer" in result.stderr
    report = json.loads(out.read_text())
    assert report["errors"] == 1 and report["accuracy"] == 0.0 and report["abstention"] == 1.0
    assert report["run"]["server"] == {"ready": True, "answerer": "extractive"}
    assert report["first_token_p50_ms"] is None  # /api/ask is not streamed


def test_eval_refuses_a_json_folder_that_is_not_there_before_asking(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "Who?", "must": [["x"]]}) + "\n")
    out = tmp_path / "nowhere" / "r.json"
    result = _qa(tmp_path / "store", "eval", str(questions), "--json", str(out))
    assert result.returncode == 2 and "--json: no such folder" in result.stderr


def test_a_corrupt_store_gives_a_clear_error_and_rebuild_recovers_keeping_the_old_one(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    seed = str(SEEDS / "000_8ae4ba73e080a6d3.txt")
    assert _qa(store, "ingest", seed).returncode == 0
    (store / "chroma.sqlite3").write_bytes(b"this is not a database" * 10)

    broken = _qa(store, "list")
    assert broken.returncode == 2 and "Traceback" not in broken.stderr + broken.stdout
    assert "cannot be opened" in broken.stderr and "qa ingest --rebuild" in broken.stderr

    rebuilt = _qa(store, "ingest", "--rebuild", seed)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "000_8ae4ba73e080a6d3.txt: added" in rebuilt.stdout
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("store.old-")]
    assert len(kept) == 1 and (kept[0] / "chroma.sqlite3").exists()
    assert "Dorrian" in _qa(store, "ask", "What did Colonel Dorrian tell Rudaw?").stdout


def test_ask_takes_date_and_source_filters(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert _qa(store, "ingest", str(DATA / "floods")).returncode == 0
    question = "How many families were displaced by the floods?"
    early = _qa(store, "ask", question, "--until", "2021-03-05")
    march = _qa(store, "ask", question, "--since", "2021-03", "--until", "2021-03")
    assert march.returncode == 0 and "4,500" in march.stdout
    assert early.returncode == 0 and "1,200" in early.stdout and "4,500" not in early.stdout
    later = _qa(store, "ask", question, "--source", "later.txt")
    assert "4,500" in later.stdout and "1,200" not in later.stdout
    nothing = _qa(store, "ask", question, "--since", "2030-01-01")
    assert nothing.returncode == 1 and "No indexed article matches" in nothing.stdout
    bad = _qa(store, "ask", question, "--since", "2021-05-01", "--until", "2021-01-01")
    assert bad.returncode == 2 and "after" in bad.stderr
    year = _qa(store, "ask", question, "--since", "21")
    assert year.returncode == 2 and "YYYY-MM-DD, YYYY-MM or YYYY" in year.stderr


def test_ingest_takes_urls_of_pages(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with page_server(DATA / "pages") as site:
        refused = _qa(store, "ingest", f"{site}/herald.html")
        assert refused.returncode == 1 and "QA_ALLOW_PRIVATE_URLS" in refused.stderr
        env = {"QA_ALLOW_PRIVATE_URLS": "1"}
        missing = _qa(store, "ingest", f"{site}/missing.html", env=env)
        said = " ".join(missing.stderr.split())
        assert "answered 404" in said and said.count(f"{site}/missing.html") == 1
        added = _qa(store, "ingest", f"{site}/herald.html", f"{site}/blog.html", env=env)
    assert added.returncode == 0, added.stderr
    assert "herald.html: added" in added.stdout and "blog.html: added" in added.stdout
    listed = _qa(store, "list", env={"COLUMNS": "200"}).stdout
    assert "The Northern Herald" in listed and "Valley Post" in listed


def test_load_without_a_question_file_says_to_give_one(tmp_path: Path) -> None:
    missing = tmp_path / "team.jsonl"  # as in an installed package: no tests/ beside it
    result = _qa(tmp_path / "store", "load", "--questions", str(missing), "--seconds", "1")
    assert result.returncode == 2
    assert f"no question file at {missing}: give one with --questions" in result.stderr


def test_serve_logs_the_store_it_opened_and_warns_when_it_is_empty(tmp_path: Path) -> None:
    from tests.helpers import free_port, running

    port, log = free_port(), tmp_path / "serve.log"
    command = [sys.executable, "-m", "qa.cli", "serve", "--port", str(port)]
    env = {**os.environ, "QA_STORE_DIR": "empty-store", "QA_LLM": "extractive"}
    with running(command, f"http://127.0.0.1:{port}/readyz", log, env=env, cwd=tmp_path):
        pass
    said = log.read_text()
    where = tmp_path / "empty-store"  # relative to where it was started, named whole
    assert f"INFO:     service ready: 0 articles in {where}" in said
    assert f"WARNING:  the index in {where} holds no article" in said


def test_an_ingest_beside_a_running_server_on_its_store_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    # Another process's writes reach Chroma's files, not the running server's vector
    # index: it answered 500 ("Error finding id") about the new article until restarted.
    from tests.helpers import free_port, running

    store, port = tmp_path / "store", free_port()
    assert _qa(store, "ingest").returncode == 0
    command = [sys.executable, "-m", "qa.cli", "serve", "--port", str(port)]
    env = {**os.environ, "QA_STORE_DIR": str(store), "QA_LLM": "extractive"}
    with running(command, f"http://127.0.0.1:{port}/readyz", tmp_path / "log", env=env) as server:
        beside = _qa(store, "ingest", str(DATA / "floods" / "later.txt"))
        assert beside.returncode == 2
        assert f"the store in {store} is in use by process {server.pid}" in beside.stderr
        assert "POST /api/documents" in beside.stderr
    after = _qa(store, "ingest", str(DATA / "floods" / "later.txt"))  # its turn now
    assert after.returncode == 0 and "later.txt: added" in after.stdout


def test_an_archive_ingested_again_counts_its_unchanged_files_instead_of_listing_them(
    tmp_path: Path,
) -> None:
    store, folder = tmp_path / "store", tmp_path / "archive"
    folder.mkdir()
    for n in range(21):
        (folder / f"story-{n:02}.txt").write_text(
            f"Market reopens in district {n}\n\nTraders in district {n} reopened stalls on"
            f" Sunday, {n} weeks after the fighting ended, the council said.\n"
        )
    first = _qa(store, "ingest", str(folder))
    assert first.returncode == 0, first.stderr
    assert "story-20.txt: added" in first.stdout and "21 files: 21 added" in first.stdout
    (folder / "story-00.txt").write_text("Market closes\n\nThe market closed on Monday.\n")
    again = _qa(store, "ingest", str(folder))
    assert "story-00.txt: replaced" in again.stdout and "story-20.txt" not in again.stdout
    assert "21 files: 1 replaced, 20 unchanged (not listed)" in again.stdout
