"""Remove web-page debris from an article's text lines.

In: the lines of an article as saved from a web page. Out: the lines that belong to
the article, in order. Debris is of two kinds: single lines (view counters, share
links, cookie notices, copyright, contact and credit lines, the signatures of embedded
tweets) and trailing blocks that start at a marker and run to the end (comment forms,
donation appeals, disclaimers, lists of other stories); and the note on the author at
the story's end goes (``without_author_note``).
"""

from __future__ import annotations

import re
from itertools import accumulate

_FLAGS = re.IGNORECASE
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
# The address of an embedded tweet's picture, left in its text ("… great victory
# pic.twitter.com/xYz123"): a link a reader of the quote cannot follow.
_TWEET_PICTURE = re.compile(r"\s*\bpic\.twitter\.com/\w+")
# A player's or picture's label run into its caption ("Image captionThe old city of …")
_CAPTION_LABEL = re.compile(r"^(image|media|video) caption\s*", re.I)

# A line matching any of these is page furniture, wherever it stands.
DEBRIS_LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _FLAGS)
    for p in (
        r"^views?:?\s*[\d,.]+k?$",
        r"^short ?link:?",
        r"^last update[ds]?\b",
        r"^(updated|modified|published)( on)?:?\s*\d",
        r"^(©|\(c\)|copyright\b)(?!(\W+\w+){12})",  # not "Copyright law in Iraq dates …"
        r"\ball rights reserved\b",
        r"^article page\b",
        r"^(story|article) id:",  # an old page's record number ("Story ID: 40215 | Views: 842")
        r"^skip to (the )?(main )?(content|navigation|article)$",
        r"^(share|tweet|print|email)( this( article| story)?)?:?$",
        r"^(related|read more|advertisement|sponsored)( (articles?|stories|content))?:?$",
        # another story's headline or address offered mid-story ("READ MORE: Man charged …"),
        # in the languages our pages come in ("Lire aussi :", "اقرأ أيضاً:", "بیشتر بخوانید:")
        r"^(read more|see also|also read|related|more on this( story)?|(à )?lire aussi|voir aussi"
        r"|mehr zum thema|lesen sie (auch|mehr)|lea también|leer más|ver también|leia também"
        r"|ayrıca (bakınız|okuyun)|ilgili haber(ler)?|devamını oku|zêdetir bixwîne|bixwîne"
        r"|اقرأ (أيضا|أيضاً|المزيد)|(اقرأ|إقرأ) كذلك|بیشتر بخوانید|بخوانید)\s*:\s*\S",
        r"^continue reading( the main story| below)?$",
        r"^(previous|next) (post|article|story)\b",  # a blog's links to the posts beside it
        r"^(like this:|loading(\.\.\.|…))$",  # a blog's like button, below its share bar
        r"^printer[- ]friendly( version)?$",
        r"^excerpt:?$",  # a page clipper's label over the page's summary
        r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$",  # an address or a number alone on its line
        r"^((tel|phone|mobile|fax)\.?:?\s*)?\+\d[\d\s().-]{6,}$",
        r"^[-–—]\s*advertisement\s*[-–—]$",  # "- Advertisement -"
        # an audio player's and a share bar's labels ("Listen to this article", "4 min")
        r"^listen to (this|the) (article|story)\b",
        r"^\d{1,2}\s*min(ute)?s?$",
        r"^(facebook|twitter|whatsapp|linkedin|telegram|reddit|messenger)$",
        # a share bar's buttons on one line ("Facebook  Twitter  Email  Print")
        r"^((facebook|twitter|whatsapp|linkedin|telegram|reddit|messenger|pinterest|email"
        r"|e-mail|print|share|copy link)[\s|·•,]*){2,}$",
        # how to reach the reporter or the press office ("Megan Ortiz can be reached at
        # megan.ortiz@… Follow her on Twitter @…", "For more information, please contact:")
        r"\bcan be (reached|contacted|emailed) (at|on|via)\b",
        r"^follow (him|her|them|us|me) on (twitter|x|facebook|instagram|telegram)\b",
        r"^(for (more|further) information|media (contact|enquiries|inquiries))\b.*"
        r"(contact|@|\+\d)",
        r"^(log ?in|sign ?in) or register to (post|add) comments?$",
        r"^\d+\s*min(ute)?s?\s+read$",  # "6 min read"
        r"^read (the )?original\b",  # a read-later copy's link to where it was saved from
        # an aggregator's note on a story it took from a wire's feed
        r"\b(automatically|auto-) ?(published|generated|imported) from an? (syndicated )?"
        r"(wire |news |rss )?feed\b",
        r"^read the original (article|story)\b",
        r"^found in:",
        r"^leave a (reply|comment)",
        r"^fill in your details below",
        r"you are commenting using your\b.*\baccount",
        r"^(twitter|facebook|google|wordpress(\.com)?) (picture|photo|account)$",
        r"^connecting to %s$",
        r"\blog out\b.*\bchange\b",
        r"\b(uses?|using) cookies\b",
        r"\b(cookie|privacy) (policy|settings|preferences)\b",
        r"\b(enable|turn on) javascript\b",  # all an app's page shows without its script
        r"^loading(\.\.\.|…)?$",
        r"\bprivacy policy\b",
        r"\bterms (&|and) conditions\b",
        r"\bsubscribe to (our|the) newsletter\b",
        r"\bsign up (for|to) (our|the)\b.*\bnewsletter\b",
        r"\b(straight|delivered)? ?(to|in) your inbox\b",
        r"\[email(&#160;|\s)protected\]",
        r"^for media inquiries\b",
        r"^(contact|e-?mail)( us)?:",
        r"^disclaimer:",
        r"\bplease (support|donate)\b",
        # a newspaper's appeal for support, which may stand before the story's last lines
        r"^since you('|’)re here\b",
        r"\bsmall favou?r to ask\b",
        r"\b(paypal|patreon)\b",
        r"\bcontains copyrighted material\b",
        # a wire story's credits ("Reporting by …; Additional reporting by …; Editing by
        # …") and a staffer's ("… contributed to this report."): who wrote it, not news
        r"^\(?(additional )?(reporting|writing) by\b.*;"
        r"\s*(additional reporting|writing|editing) by\b",
        r"^editing by\b(?!(\W+\w+){12})",
        r"\bcontributed (reporting )?to this (report|story|article)\.?$",
        r"^support (the [\w ]{1,30}|us|our (work|journalism)|independent( \w+)? journalism)$",
        r"^(give|donate|contribute) (now|today|once|monthly)$",  # a donation box's button
        r"\bplease consider (a|making a) (monthly |one-off |small )?(gift|donation|contribution)\b",
        # a story's tags, a rating box and a bare source credit: what the page says of it
        r"^(filed under|tags|tagged( with)?|topics)\s*:\s*\S",
        r"^(rate this (article|story|fact-?check|post)|was this (article|story|page) "
        r"(helpful|useful))\b",
        r"^source\s*:\s*\S+(\s+\S+){0,3}$",
        # a photo's credit on a line of its own ("Photo: Zaid Al-Obeidi / Atlas Daily");
        # a caption's own words stay, as readers ask about what a photo shows
        r"^\(?(photo(graph)?s?|images?|pictures?|photo credit|credit)(\s+by\s+|\s*:\s*)"
        r"[^.!?()]{1,80}\)?$",
        r"^all times (are|stated are|shown are|in)\b(?!(\W+\w+){8})",  # a live page's
        r"^all (pictures|photos|photographs|images) (are )?subject to copyright\.?$",
        r"^filed (on|at)\b(?!(\W+\w+){10}).*\d",  # "Filed on 3 July 2017 at 17:45 ET"
        r"^[-—–=*_~]{3,}$",  # a rule between the story and what follows
        # a newsroom asking for tips ("Do you have a story for us? Email … or call …")
        r"^(do you have|have you got|got) a (story|news tip|tip)( for us)?\b",
        # an embedded tweet's signature ("— Brett McGurk (@brett_mcgurk) July 10, 2017")
        rf"^[—–-]+\s*[^()]{{1,80}}\(@\w{{1,15}}\)\s+{_MONTH}\.?\s+\d{{1,2}},\s+\d{{4}}$",
    )
)

# From a line matching one of these to the end of the text, everything is debris.
# They only count in the second half of an article, so that a story which quotes
# such words near its top is not cut short.
TAIL_MARKERS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _FLAGS)
    for p in (
        r"^leave a (reply|comment)\b",
        # a comment section's heading ("Comments (4)", "Yorumlar (4)", "12 commentaires")
        r"^(\d+ )?(readers?'? )?(comments?|commentaires?|kommentare?|comentarios?|commenti|yorumlar"
        r"|reacties|التعليقات|تعليقات|نظرات)\s*(\(\d+\))?:?$",
        r"^disclaimer:",
        r"^if you('|’)re able, and if you like our content",
        r"^(please )?support (our|the) (work|project|journalism)\b",
        r"^this website uses cookies\b",
        r"^recommended (articles|stories|reading|for you)$",
        r"^cite this (article|story|page|analysis)$",
        r"^notes? to editors?:?$",  # a press release's notes for the press, below it
        r"^(media|press) (contacts?|enquiries|inquiries):?$",  # ... and whom the press may call
        r"^((my )?(highlights|annotations)|my notes)( \(\d+\))?$",  # a read-later copy's own
        r"^about the (author|writer|reporter)s?:?$",  # the box on who wrote it, below the story
    )
)
AUTHOR_NOTE_LINES = 3  # an author's note stands among the text's last lines


def without_outlet_note(lines: list[str], outlet: str | None) -> list[str]:
    """``lines`` without the outlet's note on itself among the last few ("Southern Iraq
    Monitor is an independent news service. Reproduction permitted with credit.")."""
    if not outlet:
        return lines
    name = re.escape(outlet.removeprefix("The "))
    note = re.compile(  # ... and the heading above it ("About the Basra Clean Water …")
        rf"^(the )?{name}\s+is\s+(an? |the )?(independent|non-?profit|reader-funded"
        rf"|reader-supported|funded by|published by|part of|a member of)\b|^about (the )?{name}:?$",
        _FLAGS,
    )
    filled = [i for i, line in enumerate(lines) if line.strip()]
    last = set(filled[-AUTHOR_NOTE_LINES:])
    return [line for i, line in enumerate(lines) if not (i in last and note.match(line.strip()))]


def without_author_note(lines: list[str], author: str | None) -> list[str]:
    """``lines`` without the note on the author at the story's end ("Mustafa Saadoun is
    an Iraqi journalist covering human rights. He was previously …"): a line among the
    last few that opens with the author's name and says what they are or do."""
    if not author:
        return lines
    note = re.compile(rf"^{re.escape(author)}\s+(is|was|has been|writes|covers|reports)\b", _FLAGS)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    last = set(filled[-AUTHOR_NOTE_LINES:])
    return [line for i, line in enumerate(lines) if not (i in last and note.match(line.strip()))]


_LIST_ITEM = re.compile(r"^[-*•]\s+")
# A bare date line right under a "Last Update" line is that line's timestamp.
_BARE_DATE = re.compile(
    r"^(\w+day,?\s+)?\d{1,2}(st|nd|rd|th)?\s+\w+,?\s+\d{4}$|^\w+\s+\d{1,2},?\s+\d{4}$", _FLAGS
)


def is_debris_line(line: str) -> bool:
    """True if a single line is page furniture rather than article text."""
    stripped = line.strip()
    unlisted = _LIST_ITEM.sub("", stripped)  # an item of a page's list of links: "- Print"
    lines = (stripped, unlisted) if unlisted != stripped else (stripped,)
    return any(p.search(text) for p in DEBRIS_LINE_PATTERNS for text in lines)


def strip_debris(lines: list[str]) -> list[str]:
    """Drop debris lines and trailing debris blocks; keep blank lines as paragraph breaks."""
    kept = _cut_tail(lines)
    out: list[str] = []
    after_last_update = False
    for line in kept:
        stripped = line.strip()
        if after_last_update and _BARE_DATE.match(stripped):
            after_last_update = False
            continue
        after_last_update = bool(re.match(r"^last update", stripped, _FLAGS))
        if stripped and is_debris_line(stripped):
            continue
        out.append(_CAPTION_LABEL.sub("", _TWEET_PICTURE.sub("", line)).rstrip())
    return _collapse_blank_runs(out)


# What the page around a story says below it (a text copied whole from a browser keeps
# it): its footer, share buttons and the heads of its lists of other stories
_CHROME = re.compile(
    r"^(©|\(c\)|copyright\b)|\b(privacy policy|terms of (use|service)|cookie settings"
    r"|about us|advertise with us|all rights reserved)\b|^(share|tags|topics|follow( us)?"
    r"|related( articles| stories)?|more on this story|most (popular|read|viewed)"
    r"|newsletters?|subscribe|contact( us)?|advertise)$",
    _FLAGS,
)
CHROME_LINES = 4  # short lines at least, with ...
CHROME_SIGNS = 2  # ... at least this many saying what a page's chrome says
CHROME_LINE_WORDS = 12  # a line longer than this is a paragraph, not a link or a label


def _chrome_start(lines: list[str]) -> int | None:
    """Where the page's chrome begins below the story: among the short lines that end the
    text (none over ``CHROME_LINE_WORDS`` words), the first that says what a footer, a
    share bar or a list of other stories says ("More on this story", "Most popular",
    "Privacy policy", "© 2018 …"), when ``CHROME_LINES`` lines or more run from it to the
    end, ``CHROME_SIGNS`` of them saying such things, and it stands in the second half of
    the text's words. A short closing line of the story above it stays. None when the
    story runs to the end."""
    start = len(lines)
    while start and _is_short(lines[start - 1]):
        start -= 1
    words = [len(line.split()) for line in lines]
    halfway = next(i for i, run in enumerate(accumulate(words)) if 2 * run >= sum(words))
    tail = [i for i, line in enumerate(lines) if line.strip() and i >= max(start, halfway)]
    signs = [i for i in tail if _CHROME.search(lines[i].strip())]
    if len(signs) < CHROME_SIGNS:
        return None
    # from the first sign, or from the line after the story's last paragraph of prose
    firsts = [signs[0]] if len([i for i in tail if i >= signs[0]]) >= CHROME_LINES else []
    prose = [i for i in tail if _is_paragraph(lines[i]) and not _CHROME.search(lines[i])]
    after = [i for i in tail if i > max(prose, default=-1)]
    if len(after) >= CHROME_LINES and len(set(after) & set(signs)) >= CHROME_SIGNS:
        firsts.append(after[0])
    return min(firsts, default=None)


_LINK_ROW = re.compile(r"\s+[|·•]\s+")  # "About Us | Contact | Careers | Privacy Policy"


def _is_short(line: str) -> bool:
    """A link or a label, not a paragraph: at most ``CHROME_LINE_WORDS`` words, debris, or
    a row of three or more links of a few words each (a footer's)."""
    if len(line.split()) <= CHROME_LINE_WORDS or is_debris_line(line.strip()):
        return True
    items = _LINK_ROW.split(line.strip())
    return len(items) >= 3 and all(len(item.split()) <= 4 for item in items)


def _cut_tail(lines: list[str]) -> list[str]:
    content_lines = [i for i, line in enumerate(lines) if line.strip()]
    if not content_lines:
        return []
    if (chrome := _chrome_start(lines)) is not None:
        lines = lines[:chrome]
    halfway = content_lines[len(content_lines) // 2]
    for i, line in enumerate(lines):
        if not any(p.search(line.strip()) for p in TAIL_MARKERS):
            continue
        # Nearer the top, only a marker with no paragraph of prose after it (a list of
        # other stories' headlines, share links) ends the story.
        if i >= halfway or not any(_is_paragraph(after) for after in lines[i + 1 :]):
            return lines[:i]
    return lines


def _is_paragraph(line: str) -> bool:
    line = line.strip()
    return len(line.split()) >= 8 and line.endswith((".", '."', ".”", "?", "!"))


def _collapse_blank_runs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
