"""How the hand-written news pages (tests/data/news-pages) are read: no worse than the
last measure, set by set (eval/check_pages.py; the sets and their provenance are in
tests/data/README.md). A change that reads more pages right lowers these floors."""

from __future__ import annotations

import sys

import pytest

from tests.helpers import DATA, ROOT

sys.path.insert(0, str(ROOT / "eval"))
import check_pages  # a script beside its siblings, not a package

# set: (most pages with a problem, most problems), as last measured
FLOORS = {
    "review52": (9, 12),
    "fresh40": (13, 20),
    "fresh30": (6, 9),
    "blind32": (5, 9),
    "later30": (12, 33),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_news_pages_read_no_worse_than_last_measured(name: str) -> None:
    found = check_pages.check_set(DATA / "news-pages" / name)
    problems = {page: check_pages.counted(p) for page, p in found.items()}
    failing = [page for page, p in problems.items() if p]
    most_pages, most_problems = FLOORS[name]
    assert len(failing) <= most_pages, failing
    assert sum(map(len, problems.values())) <= most_problems, problems
