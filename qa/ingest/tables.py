"""A news page's data tables as sentences a reader can be quoted.

In: the lines of an article's text as trafilatura gives them with its tables, each table
row a line of cells between "|" ("| 9 July 2017 | 920,624 | 251,412 |"), a row of dashes
under a heading row. Out: the same lines with each data table written out a row to a
sentence, each value after its column's heading ("9 July 2017: Displaced 920,624,
Returned 251,412."), so that a figure found only in a table can be retrieved, quoted and
cited with what it counts; a table's caption row stays a line of its own. A table whose
cells hold paragraphs lays out the page rather than data, and is left out, as it was
before tables were read. Written here because trafilatura gives tables only as rows of
cells, and a row read alone says nothing of what its numbers count.
"""

from __future__ import annotations

import re
from collections.abc import Collection

MAX_CELL_WORDS = 12  # a cell longer than this holds prose: the table lays out the page
_RULE_CELL = re.compile(r":?-{3,}:?")


def written_out(lines: list[str], links: Collection[str] = ()) -> list[str]:
    """``lines`` with each table (a run of lines starting with "|") written out; a table
    most of whose rows hold a link's whole text (``links``, squeezed: no spaces, case
    folded) lists other stories ("Iraq's central bank sells $162 million … | 14/12/2017")
    and is left out."""
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            out.extend(_table_lines(block, links))
            block = []
        if line:
            out.append(line)
    return out


def squeezed(text: str) -> str:
    """``text`` as link texts are compared: without spaces, case folded."""
    return "".join(text.split()).casefold()


def _cells(row: str) -> list[str]:
    # Pipes inside a cell come escaped ("Home \| Local"); the row's own ones do not.
    parts = re.split(r"(?<!\\)\|", row.strip())
    return [" ".join(part.replace("\\|", "|").split()) for part in parts[1:-1]]


def _table_lines(block: list[str], links: Collection[str]) -> list[str]:
    rows = [_cells(line) for line in block]
    if any(len(cell.split()) > MAX_CELL_WORDS for row in rows for cell in row):
        return []
    linked = [row for row in rows if any(squeezed(cell) in links for cell in row if cell)]
    if len(linked) * 2 >= len(rows):
        return []
    out: list[str] = []
    heading: list[str] | None = None
    for n, row in enumerate(rows):
        filled = [cell for cell in row if cell]
        if not filled or all(_RULE_CELL.fullmatch(cell) for cell in filled):
            continue
        if len(filled) == 1:  # a caption spanning the table, or a row of one value
            out.append(filled[0])
            continue
        under_rule = n + 1 < len(rows) and all(
            _RULE_CELL.fullmatch(cell) for cell in rows[n + 1] if cell
        )
        if heading is None and under_rule:
            heading = row
            continue
        out.append(_sentence(row, heading))
    return out


def _sentence(row: list[str], heading: list[str] | None) -> str:
    """One row as a sentence: its first cell, then each other value after its heading."""
    label, *values = row
    names = (heading or [])[1:] + [""] * len(values)
    told = [f"{name} {value}".strip() for name, value in zip(names, values, strict=False) if value]
    text = f"{label}: " + ", ".join(told)
    return text if text.endswith((".", "!", "?")) else text + "."
