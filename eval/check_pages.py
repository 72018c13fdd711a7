"""Check how news pages are read against what a careful reader would take from them.

In: a folder of saved pages (``tests/data/news-pages/<set>``) and its ``expected.json``,
one entry a page: whether it is an article at all (``accept``), and for an article its
headline, author(s) (``author``: names that must appear, null for none; ``author_ok``:
other values tolerated), outlet (``publisher``, ``publisher_alt``), date of first
publication, the story's first and last lines (``first``/``first_alt``,
``last``/``last_alt``), phrases that must be kept (``must_contain``; "@ALL_PARAGRAPHS@"
for every paragraph in ``long_paras.json``), phrases of page furniture that must not be
(``must_not``) and phrases it is good to keep (``should_contain``, reported, not
counted). Out: each page's problems, and how many pages have at least one.

    .venv/bin/python eval/check_pages.py tests/data/news-pages/fresh30 [--show] [PAGE ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.ingest.formats import decode_article
from qa.ingest.pipeline import read_article
from qa.types import Article

ALL_PARAGRAPHS = "@ALL_PARAGRAPHS@"
SOFT = "(soft)"  # a problem reported but not counted


def normalised(text: str | None) -> str:
    """Text as compared: NFC, straight quotes, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def _outlet_key(name: str | None) -> str:
    text = normalised(name).casefold()
    return text[4:] if text.startswith("the ") else text


def page_problems(expected: dict[str, Any], article: Article | None, refusal: str) -> list[str]:
    """What is wrong with how one page was read (``article``, or None and why it was
    refused) against its ``expected`` entry; soft problems start with ``SOFT``."""
    if article is None:
        return [f"refused, but it is an article: {refusal}"] if expected["accept"] else []
    if not expected["accept"]:
        return [f"accepted, but it is no article: {article.title!r}"]
    body = normalised(article.body)
    problems = []
    if expected.get("title") and normalised(article.title) != normalised(expected["title"]):
        problems.append(f"title: {article.title!r}, not {expected['title']!r}")
    author = normalised(article.author).casefold()
    if expected.get("author") is None:
        tolerated = {normalised(a).casefold() for a in expected.get("author_ok", [])}
        if author and author not in tolerated:
            problems.append(f"author: {article.author!r}, where none is named")
    elif missing := [a for a in expected["author"] if a.casefold() not in author]:
        problems.append(f"author: {article.author!r} lacks {missing}")
    outlets = [expected.get("publisher"), *expected.get("publisher_alt", [])]
    if expected.get("publisher") and _outlet_key(article.publisher) not in map(
        _outlet_key, outlets
    ):
        problems.append(f"outlet: {article.publisher!r}, not {expected['publisher']!r}")
    if "published" in expected and article.published != expected["published"]:
        problems.append(f"date: {article.published}, not {expected['published']}")
    firsts = [expected.get("first"), *expected.get("first_alt", [])]
    if expected.get("first") and not any(body.startswith(normalised(f)) for f in firsts):
        problems.append(f"first line: {body[:80]!r}")
    lasts = [expected.get("last"), *expected.get("last_alt", [])]
    if expected.get("last") and not any(body.endswith(normalised(e)) for e in lasts):
        problems.append(f"last line: {body[-80:]!r}")
    dropped = [p for p in expected["must_contain"] if normalised(p) not in body]
    problems += [f"story dropped: {p[:80]!r}" for p in dropped]
    nice = [p for p in expected.get("should_contain", []) if normalised(p) not in body]
    problems += [f"{SOFT} not kept: {p[:80]!r}" for p in nice]
    folded = body.casefold()
    furniture = [p for p in expected.get("must_not", []) if normalised(p).casefold() in folded]
    return problems + [f"furniture kept: {p!r}" for p in furniture]


def check_set(folder: Path, only: Sequence[str] = ()) -> dict[str, list[str]]:
    """Each page of the set (or of ``only``) with its problems."""
    entries = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    paragraphs_file = folder / "long_paras.json"
    paragraphs = json.loads(paragraphs_file.read_text()) if paragraphs_file.exists() else []
    found = {}
    for entry in entries:
        if only and entry["file"] not in only:
            continue
        if entry.get("must_contain") == ALL_PARAGRAPHS:
            entry = {**entry, "must_contain": [normalised(p) for p in paragraphs]}
        entry.setdefault("must_contain", [])
        try:  # as qa ingest reads a file: undecodable bytes are a refusal too
            raw = decode_article((folder / entry["file"]).read_bytes())
            article, _ = read_article(entry["file"], raw, url=entry.get("url"))
            refusal = ""
        except ValueError as error:
            article, refusal = None, str(error)
        found[entry["file"]] = page_problems(entry, article, refusal)
    return found


def counted(problems: list[str]) -> list[str]:
    return [p for p in problems if not p.startswith(SOFT)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("pages", nargs="*", help="only these pages")
    parser.add_argument("--show", action="store_true", help="every page, not only failing ones")
    args = parser.parse_args(argv)
    found = check_set(args.folder, args.pages)
    for page, problems in found.items():
        if problems or args.show:
            print(f"{page}: {len(counted(problems))} problems")
        for problem in problems:
            print(f"  {problem}")
    failing = sum(1 for problems in found.values() if counted(problems))
    total = sum(len(counted(problems)) for problems in found.values())
    print(f"pages with problems: {failing} of {len(found)} ({total} problems)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
