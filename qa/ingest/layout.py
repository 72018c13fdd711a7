"""A saved or fetched page as a browser lays it out, where trafilatura would read it
otherwise.

In: a page's HTML. Out: the same page with four things a browser shows as blocks set so
that trafilatura reads them so: an inline frame's document, a table that lays out the
page, a live page's entries each in an ``<article>``, and lines ended by ``<br>`` in a
page without paragraphs. Written by hand: trafilatura has no option for any of them,
and each lost a story or ran its headline into it on the hand-written pages of
``tests/data/news-pages``.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, PageElement, Tag


def as_shown(html: str) -> str:
    """``html`` as a browser lays it out, where trafilatura would read it otherwise:
    each inline frame's document (``<iframe srcdoc="…">``) in the frame's place (a page
    that is only chrome around a frame holds its story there, and trafilatura does not
    look inside attributes); and a table that lays out the page (one holding a table, or
    a cell of ``LAYOUT_CELL_WORDS`` or more) read as the blocks it shows, not as a table
    of data (trafilatura ran such a table's story cell into one line of a table, and the
    page's menu with it); and a live page's entries read as one story (``_entries``);
    and a page's lines ended by ``<br>`` read as paragraphs when it has none
    (``_lines_as_paragraphs``)."""
    lowered = html.lower()
    broken = "<br" in lowered and not _PARAGRAPH.search(lowered)
    if (
        "srcdoc" not in lowered
        and lowered.count("<article") < ENTRIES
        and not _may_lay_out(lowered)
        and not broken
    ):
        return html  # nothing to change: the page is not parsed (a long page takes a second)
    soup = BeautifulSoup(html, "html.parser")
    frames = soup.find_all("iframe", srcdoc=True)
    for frame in frames:
        inner = BeautifulSoup(str(frame["srcdoc"]), "html.parser")
        for hidden in inner.find_all(["script", "style", "template"]):
            hidden.decompose()
        shown = soup.new_tag("div")
        shown.extend(list((inner.body or inner).contents))
        frame.replace_with(shown)
    layouts = [table for table in soup.find_all("table") if _lays_out(table)]
    for table in layouts:
        for part in [table, *table.find_all(_TABLE_PARTS)]:
            part.name = "div"
    entries = _entries(soup)
    for entry in entries:
        entry.name = "section"
    if broken:
        _lines_as_paragraphs(soup)
    return str(soup) if frames or layouts or entries or broken else html


ENTRIES = 3  # <article>s side by side under the page's headline that are its entries


def _entries(soup: BeautifulSoup) -> list[Tag]:
    """A live page's entries, each in an ``<article>`` of its own side by side under the
    page's headline: trafilatura read the first of them as the whole story."""
    headline = soup.find("h1")
    if headline is None or headline.find_parent("article") is not None:
        return []
    by_parent: dict[int, list[Tag]] = {}
    for article in soup.find_all("article"):
        if article.find_parent("article") is None and article.parent is not None:
            by_parent.setdefault(id(article.parent), []).append(article)
    return next((group for group in by_parent.values() if len(group) >= ENTRIES), [])


def _may_lay_out(lowered: str) -> bool:
    """Whether a table in the page may lay it out: two tables (one may hold the other),
    or a cell that may hold ``LAYOUT_CELL_WORDS`` words, its markup counted with them."""
    tables = lowered.count("<table")
    return tables > 1 or (
        tables == 1
        and any(len(cell.split()) >= LAYOUT_CELL_WORDS for cell in _CELL.findall(lowered))
    )


_CELL = re.compile(r"<t[dh][\s>](.*?)</t[dh]>", re.S)
LAYOUT_CELL_WORDS = 80  # a table cell this long holds a story, not a datum
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")


def _lays_out(table: Tag) -> bool:
    if table.name != "table":  # a table inside a layout table, already made a block
        return False
    if table.find("table") is not None:
        return True
    cells = table.find_all(["td", "th"])
    return any(len(cell.get_text(" ").split()) >= LAYOUT_CELL_WORDS for cell in cells)


_PARAGRAPH = re.compile(r"<p[\s>]")
# Elements a browser shows as blocks of their own, which a line is not made of
_BLOCKS = frozenset(
    {"div", "table", "tr", "td", "th", "ul", "ol", "li", "hr", "h1", "h2", "h3", "h4", "h5",
     "h6", "blockquote", "center", "form", "p"}
)  # fmt: skip


def _lines_as_paragraphs(soup: BeautifulSoup) -> None:
    """A page written before paragraphs were marked (lines ended by ``<br>``, no
    ``<p>``): each line made a paragraph, which trafilatura otherwise runs together with
    the next (a section's label, the headline and the byline in one line). The deepest
    lines first, so that a line holding paragraphs already is not made one."""
    parents = {id(br.parent): br.parent for br in soup.find_all("br") if br.parent}.values()
    for parent in sorted(parents, key=lambda tag: -len(list(tag.parents))):
        groups: list[list[PageElement]] = [[]]
        for child in list(parent.contents):
            if isinstance(child, Tag) and child.name == "br":
                groups.append([])
            elif _is_block(child):
                groups.extend([[child], []])
            else:
                groups[-1].append(child)
        parent.clear()
        for group in groups:
            if len(group) == 1 and _is_block(group[0]):
                parent.append(group[0])
            elif "".join(part.get_text() for part in group).strip():
                line = soup.new_tag("p")
                line.extend(group)
                parent.append(line)


def _is_block(node: PageElement) -> bool:
    return isinstance(node, Tag) and (node.name in _BLOCKS or node.find("p") is not None)
