"""Read an article file's bytes and format into plain text lines.

In: a file's bytes, or its text and suffix (.txt, .md or .html). Out: its text decoded
(whatever the encoding it was saved in), its front matter's title, date, author and
outlet (Jekyll, Hugo, Pandoc), and its Markdown or HTML as plain text with one block
per line, for ``parse.parse_article`` to find the headline, byline and story in.
"""

from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
from datetime import date

import charset_normalizer
import yaml
from bs4 import BeautifulSoup, CData, NavigableString, Tag
from markdown_it import MarkdownIt

from qa.ingest.parse import find_date

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

# Characters that show nothing, left in pages by editors and web tools: zero-width spaces,
# byte order marks and word joiners inside the text, soft hyphens, and the controls that
# turn the direction of writing (which can make a quote read other than it is). They are
# debris; the joiners that shape Arabic, Persian or Indic letters (U+200C, U+200D) are not.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
# Control characters other than tab, line breaks and page breaks.
_STRAY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NEAR_CHAOS = 0.05  # charset-normalizer's mess ratio: "São" in cp1252 0.026 over cp1250


def decode_article(data: bytes) -> str:
    """An article file's bytes as text: UTF-8 (with or without a BOM), UTF-16 with its BOM
    (Windows Notepad's "Unicode"), else the encoding charset-normalizer finds (an old
    Windows or Latin-1 file, say), without invisible characters (``_INVISIBLE``). Raises
    ``ValueError`` for binary data or bytes that are text in no encoding."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # any even run of bytes decodes as UTF-16: charset-normalizer judges whether
            # what it reads is text (random bytes after a BOM read as CJK-like junk)
            read = charset_normalizer.from_bytes(data).best()
            if read is None:
                raise ValueError("binary data, not text")
            text = str(read)
        elif b"\x00" in data:
            raise ValueError("binary data, not text")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        found = charset_normalizer.from_bytes(data)
        best = found.best()
        if best is None or best.encoding is None:
            raise ValueError("not text in any encoding we could find") from None
        # Single-byte encodings read such bytes about equally well, in no telling order
        # ("Núñez" read as Central European "Núńez", "São" as "Săo"); Windows-1252 is
        # taken whenever it reads them nearly as well, as browsers take it for text that
        # does not say its encoding. (Hungarian in Windows-1250 is then misread.)
        near = (m for m in found if m.chaos <= best.chaos + _NEAR_CHAOS)
        text = str(next((m for m in near if m.encoding == "cp1252"), best))
    # Page breaks of old text files are line breaks.
    text = _INVISIBLE.sub("", text).replace("\f", "\n").replace("\v", "\n")
    # Binary bytes read as text are full of control characters (no-break and other
    # spaces, which pages are full of too, are not counted, nor are the joiners and
    # direction marks Persian and Arabic text is full of); a stray one or two (a bell in
    # a short note) are dropped rather than the whole text refused.
    controls = sum(unicodedata.category(c) in ("Cc", "Cn") and c not in "\n\r\t" for c in text)
    if controls > max(len(text) // 100, 2):
        raise ValueError("binary data, not text")
    return _STRAY_CONTROL.sub("", text)


# YAML between "---" lines (Jekyll, Hugo) or TOML between "+++" lines (Hugo).
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.S)
# Front-matter keys (Jekyll, Hugo, Pandoc) naming what an Article holds.
_FRONT_KEYS = {  # ... and read-later apps' exports (Omnivore, Wallabag, Readwise)
    "title": ("title",),
    "published": ("date", "published", "publishdate", "date_published", "published_at"),
    "author": ("author", "authors"),
    "publisher": ("publisher", "site", "source", "site_name", "sitename"),
}


def front_matter(raw: str) -> tuple[dict[str, str], str]:
    """A Markdown file's front matter (YAML between ``---`` lines, TOML between ``+++``)
    as the article's metadata it names, and the text after it; ``({}, raw)`` without
    one, or if it does not parse as a mapping."""
    found = _FRONT_MATTER.match(raw)
    if not found:
        return {}, raw
    try:
        block = found.group(2)
        data = yaml.safe_load(block) if found.group(1) == "---" else tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return {}, raw
    if not isinstance(data, dict):
        return {}, raw
    fields: dict[str, str] = {}
    for field, keys in _FRONT_KEYS.items():
        value = next((data[k] for k in keys if data.get(k) and not _is_address(data[k])), None)
        if isinstance(value, list):  # authors: [A, B]
            value = ", ".join(str(v) for v in value)
        if isinstance(value, date):  # YAML reads 2024-06-02 (and a time) as a date
            value = value.isoformat()[:10]
        elif value is not None and field == "published":
            value = find_date(str(value)) or None
        if value is not None and str(value).strip():
            fields[field] = str(value).strip()
    return fields, raw[found.end() :]


def _is_address(value: object) -> bool:
    """A web address ("source: https://…", as a page clipper writes where it saved the
    page from): no outlet's, author's or title's name."""
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def to_plain_text(raw: str, suffix: str) -> str:
    """Plain text of an article body given as .txt, .md or .html."""
    if suffix in (".html", ".htm"):
        return _html_to_text(raw)
    if suffix in (".md", ".markdown"):
        return _html_to_text(MarkdownIt().render(raw), without_link_lists=True)
    return raw.replace("\r\n", "\n").replace("\r", "\n")


_UNREAD = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "nav", "form"})
_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "article"})
_BLOCK_END = object()


# What may stand beside the links of a menu, a breadcrumb or a share bar: separators
# ("Home > World · Iraq"), and a label before them ("Tags:", "Share this story:").
_BESIDE_LINKS = re.compile(r"(?:\s*\w+(?:[ '’]\w+){0,3}:)?[\s>|·•/»,:;–—-]*")


def _only_links(block: Tag) -> bool:
    """Whether all the text of a list item or paragraph is its links' (and separators, and
    a label before them): a saved page's menu, breadcrumb, share bar or list of other
    stories, not the story."""
    links = block.find_all("a")
    if not links:
        return False
    text = block.get_text()
    for link in links:
        text = text.replace(link.get_text(), " ", 1)
    return bool(_BESIDE_LINKS.fullmatch(text))


def _html_to_text(html: str, without_link_lists: bool = False) -> str:
    """The page's text, a blank line around each block. Written as one walk of the tree
    with a stack of its own: BeautifulSoup's way (inserting a line break beside each
    block, decomposing each script) scans the parent's children at every insertion,
    so a page of many sibling paragraphs took time growing with their square (8,000
    took 5 s, a 2 MB upload about an hour of a core), and recursion would stop at a
    few thousand nested tags."""
    soup = BeautifulSoup(html, "html.parser")
    if without_link_lists:  # a Markdown copy of a whole page keeps its menus as lists
        for block in soup.find_all(("li", "p")):
            if not block.decomposed and _only_links(block):
                block.decompose()
    parts: list[str] = []
    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if node is _BLOCK_END:
            parts.append("\n\n")
        elif isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):  # not comments, doctypes, scripts
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name not in _UNREAD:
            if node.name in _BLOCKS:
                parts.append("\n\n")
                stack.append(_BLOCK_END)
            stack.extend(reversed(node.contents))
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(lines)
