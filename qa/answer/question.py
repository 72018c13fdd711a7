"""What a question asks for: its content terms, the kind of answer it expects, and
the earlier turns it leans on.

In: the user's question and the conversation so far. Out: a ``Question`` with the
weighted terms an answer sentence should cover (and the words they were written as),
the ``AnswerType`` it should hold (``qa.answer.answer_type``), whether it asks for an
overview (a summary, a role, "what happened") rather than one fact, for each source's
version, or for an article's byline, and the parts of a compound question.
People open questions with filler ("so", "hang on", "for my piece I need…:"), so the
question word is looked for at the start of any clause, not only of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from qa.answer.answer_type import (
    CLAUSE,
    EXACT,
    HOW_MUCH,
    AnswerType,
    answer_words,
    asked_casualty,
    asked_noun,
    counted_country,
    counted_noun,
    expected_answer_type,
    measured_unit,
    noun_named,
)
from qa.answer.bylines import asks_for_byline, without_byline_words
from qa.answer.comparing import (
    compares_sources,
    without_comparing_words,
    without_remark_on_sources,
)
from qa.answer.places import asks_where
from qa.answer.roles import asked_identity, asked_role, asked_speaker, role_of
from qa.text.equivalents import country_of, government_of
from qa.text.markers import strip_markers
from qa.text.shorthand import spell_out
from qa.text.terms import content_terms, content_words
from qa.types import Role, Turn

HISTORY_WEIGHT = 0.5  # terms from earlier turns count, but less than the question's own
# ... and all together at most this many times the question's own: else a long earlier
# answer outweighs the follow-up, and the sentence it already quoted wins again.
HISTORY_SHARE = 1.5
CATEGORY_WEIGHT = 0.5  # "which militia": the answer names one, it need not say "militia"
# Words (stems) by which an overview is asked for, not what it is about: "walk me through
# the tactics", "the big picture on civilians", "what role did the peshmerga play", "why
# was it so significant", "US involvement". The sentences that sum a topic up seldom use
# them, so they are not terms of an overview question.
OVERVIEW_ASKING = frozenset(
    {
        "walk", "big", "bigger", "pictur", "background", "timelin", "chronolog", "role",
        "part", "play", "signific", "import", "crucial", "situat", "deal", "angl", "involv",
        "unfold", "develop", "evolv", "progress", "fare", "fit", "tie", "matter", "like",
        "sum", "gist", "nutshel", "backdrop", "highlight", "overal", "broad", "broader", "wider",
        "full", "speed", "brief", "catch", "fill", "affect", "life", "key", "main", "point",
    }
)  # fmt: skip
_MAX_HISTORY_CHARS = 600

_OVERVIEW = re.compile(
    r"\b(overview|summar(y|ise|ize)|rundown|run-down|recap|tell me (about|more)|"
    # plain ways of asking for the whole story: "sum up", "the gist", "fill me in"
    r"sum (it |this |that |things |everything )?up|gist|nutshell|state of play|backdrop|"
    r"(key|main) (points|facts|events)|highlights|fill me in|catch me up|brief me|"
    r"(bring|get) me up to speed|"
    r"what( else)?('s| has| had)? (been )?(happened|happening|went on|is going on|"
    r"was going on|going on)|"
    r"(what|which) (role|part)|role (of|in|did|does|do|has|have|played)|part played by|"
    r"what('s| is| was| were)? (the )?(situation|significance|story|deal|picture|background)|"
    r"explain|describe|background|(big|bigger|overall|broad|broader|wider|full) picture|"
    r"anything (on|about|else)|"
    # "what do the reports say about …", "what does the May 2017 piece say about …"
    # (not "what did the different reports say": each source's version is asked for)
    r"what (do|does|did) (the|these|this|that|both|each|its|their) "
    r"((?!(different|differing|various|conflicting|other)\b)[\w'’.-]+ ){0,4}?"
    r"(articles?|reports?|reporting|stor(y|ies)|coverage|sources?|pieces?|write-?ups?|"
    r"accounts?) (say|report|tell|write|note|mention|describe)|"
    r"what (is|was|were|are) (the|that|this|these|those) [^?]{1,60} (all )?about(?=\W*$)|"
    r"how (does|did) .{1,60} (fit|tie in)|timeline|chronology|walk me through|"
    r"how did .{1,60} (unfold|play out|develop|evolve|fare)|"
    r"how .{1,60} (unfolded|played out|developed|evolved|progressed)|involvement|"
    r"what('s| is| was| has)? (it|life) (been )?like|how (was|were|is|are) .{1,60} affected|"
    r"angle|what (tactics|strategy|strategies)|"
    r"big deal|why does .{1,60} matter|"
    r"why (is|was|are|were) .{1,60} (important|significant|crucial|sensitive|contentious))\b",
    re.I,
)
# "Is it true that …?", "… is that legit?", "I saw it online": asking whether something
# is so and where the asker came across it say how the question is asked, not what about.
_CONFIRMING = re.compile(
    r"\b((is|was|are|were) (it|that|this|any of (it|this|that)) (really |actually |even )?"
    r"(true|legit|right|correct|accurate)|"
    r"((i|i've|i have|we|we've) )?(saw|seen|read|heard)( \w+){0,2}? (online|on (twitter|x|"
    r"facebook|tiktok|social media|the news|tv|telegram)))\b",
    re.I,
)
# Where a clause begins, not only at the start: "so how long had it been running" asks
# as "how long" does ("long" is not what it is about).
_WH_PHRASE = re.compile(
    CLAUSE + rf"({HOW_MUCH}|"
    rf"(in |on )?(what|which) {EXACT}(year|date|day|month|time)|"
    r"when|who(m|se)?|where|what|which|how|why)\b",
    re.I,
)
_ASKING_WORD = r"(?:how|what|when|where|who|whom|whose|which|why)"
# "How many fled, and where did they go?": "and" before a second question word joins two
# questions, each answered on its own (not "between October and May", "Kurds and Arabs");
# so too with a word between that only qualifies the asking ("and roughly how long").
_NEXT_QUESTION = re.compile(
    rf"\s*[,;?]?\s+and\s+(?:(?:also|then|\w{{3,}}ly)\s+)?(?={_ASKING_WORD}\b|"
    r"(?:in|on|at|by|from|for|to) (?:which|what|whom)\b)"
    # "How close were they to Mosul compared with how close the SDF were to Raqqa?",
    # "Which forces did the US back in Mosul versus for taking Raqqa?": two questions.
    r"|\s*,?\s+(?:compared (?:with|to)|as against|versus|vs\.?)\s+"
    rf"(?=(?:{_ASKING_WORD}|in|on|at|by|from|for|to)\b)",
    re.I,
)
# "Compare how full the dam was in May with how full it was in June": the two questions
# after "compare", each a question of its own.
_COMPARE = re.compile(
    rf"^\s*compare\s+(?P<first>{_ASKING_WORD}\b.+?)\s*,?\s+(?:with|to|against|and)\s+"
    rf"(?P<second>{_ASKING_WORD}\b.+)$",
    re.I,
)
# "What did the mayor and the governor each promise?": the same question of each.
_EACH = re.compile(
    r"^(?P<ask>.*?\b(?:did|do|does|was|were|is|are|has|have|had|will|would)\s+)"
    r"(?P<first>.+?)\s+and\s+(?P<second>.+?)\s+each\s+(?!other\b)(?P<rest>\w.*)$",
    re.I,
)
_ANAPHORA = re.compile(
    r"\b(he|she|him|her|his|hers|they|them|their|it|its|this|that|these|those|"
    r"there|the same)\b",
    re.I,
)
# "And did IS make off with anything?", "but why?", "so what about the Americans who
# stay?": a question that opens by joining itself to what was said before goes on from it.
_CONTINUES = re.compile(
    r"\s*(and|but|also|plus|(so,?\s+|ok,?\s+)?(what|how) about|what of)\b", re.I
)
_CATEGORY = re.compile(
    r"^\s*(which|what)\s+(?!(is|was|are|were|did|does|do|has|have|had)\b)"
    r"(\w+)",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str
    answer_type: AnswerType
    terms: dict[str, float]  # stemmed term → weight factor (1 for the question, less for history)
    retrieval_query: str  # the question, with earlier turns added when it is a follow-up
    words: dict[str, str] = field(default_factory=dict)  # stemmed term → a word it was written as
    counted: str | None = None  # the noun a "how many" question counts ("fighters")
    casualty: str | None = None  # ... or "were they killed?": the dead or the wounded asked
    country: str | None = None  # ... the country they are of ("usa" for "American soldiers")
    measured: tuple[str, ...] = ()  # the units a "how far / long" question's answer is in
    asked_noun: str | None = None  # the noun a "which <noun>" question asks a name for ("town")
    name_asked: bool = False  # ... asked as "the name of the <noun>": only a name answers
    role: str | None = None  # what the person asked for does: "leads", "founded", "speaks"
    role_of: str | None = None  # whose role it is: "Syria Democratic Forces"
    speaker: str | None = None  # whose words it asks for: "what did Hollande say …"
    identity: str | None = None  # whom it asks to be told who they are: "who's Abadi?"
    overview: bool = False  # asks for a summary, a role, "what happened": several passages
    names: frozenset[str] = frozenset()  # terms the question names: people, places, years
    compares: bool = False  # asks how the sources' versions differ: one from each
    # asks who wrote an article ("author"), who ran it ("outlet") or when ("published")
    byline: str | None = None
    followup: bool = False  # read with the exchange before it, whose terms are in ``terms``
    context: str = ""  # ... that exchange, for a follow-up: what the asker has been told
    where: bool = False  # asks where: a place the question does not name answers it

    @property
    def known(self) -> str:
        """What the asker has said or been told: the question, with the exchange before
        it for a follow-up. A name or a place in it is no answer: "what's his first name?"
        after "Colonel Dorrian" is not answered by a sentence naming him again."""
        return f"{self.text} {self.context}"


def asks_for_overview(question: str) -> bool:
    """A summary, a role, "what happened", "tell me about": several passages answer it
    (read as ``analyse_question`` reads it: "whats the situation" asks it too)."""
    return bool(_OVERVIEW.search(spell_out(question)))


def question_parts(question: str) -> list[str]:
    """The questions a compound question asks ("How many fled, and where did they go?"
    → two), or the question alone. A part that says too little alone ("and when?") is
    still a part: it is read with the parts before it as its conversation. An overview
    is not parted: its answer already spans what it asks."""
    if asks_for_overview(question):
        return [question]
    if each := _EACH.match(question):
        ask, rest = each["ask"], each["rest"]
        return [f"{ask}{each['first']} {rest}", f"{ask}{each['second']} {rest}"]
    compared = _COMPARE.match(question)
    parts = [
        p.strip(" ,;")
        for p in (
            [compared["first"], compared["second"]] if compared else _NEXT_QUESTION.split(question)
        )
    ]
    if len(parts) < 2 or not content_terms(parts[0]):
        return [question]
    parts = [_with_shared_words(p, after) for p, after in zip(parts, [*parts[1:], ""], strict=True)]
    parts = _with_counted_nouns(parts)
    return [p if p.endswith(("?", ".", "!")) else p + "?" for p in parts]


_HOW_MANY_ALONE = re.compile(r"\bhow many\b", re.I)


def _with_counted_nouns(parts: list[str]) -> list[str]:
    """A part that asks "how many" without saying of what counts what the part before it
    counted: "How many people had fled, and how many were still living there?" asks how
    many people were still living there (English leaves the noun out the second time)."""
    counted = None
    filled = []
    for part in parts:
        own = counted_noun(part)
        if own is None and counted and (alone := _HOW_MANY_ALONE.search(part)):
            part = f"{part[: alone.end()]} {counted}{part[alone.end() :]}"
        filled.append(part)
        counted = own or counted
    return filled


def _with_shared_words(part: str, after: str) -> str:
    """A part that is only its question word and a word describing what the next part
    names ("Which Turkish" of "Which Turkish and which Russian officials are quoted?")
    takes the rest of the next part: "Which Turkish officials are quoted?"."""
    words, following = part.split(), after.split()
    if len(words) != 2 or len(following) < 4 or words[0].lower() != following[0].lower():
        return part
    return " ".join([*words, *following[2:]])


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns: it refers back, opens by joining itself to
    them ("and did IS …?"), or says too little alone (counted in the words it writes:
    "what about Daesh?" says one thing)."""
    return (
        bool(_ANAPHORA.search(question) or _CONTINUES.match(question))
        or len(content_terms(question, groups=False)) < 2
    )


def analyse_question(question: str, history: Sequence[Turn] = ()) -> Question:
    """Terms, answer type and retrieval query for ``question`` read in its conversation."""
    question = spell_out(question)  # "how many ppl" asks about people
    # "... in different reports" says how to answer, not what about: not a term; nor
    # "who wrote the piece" or "which site ran it", which ask for the byline.
    stripped = without_byline_words(question)
    stripped, remarked = without_remark_on_sources(stripped)
    stripped = _WH_PHRASE.sub(" ", _CONFIRMING.sub(" ", stripped))
    stripped = without_comparing_words(stripped)
    overview = asks_for_overview(question)
    words = content_words(stripped)
    if overview:
        words = [(stem, word) for stem, word in words if stem not in OVERVIEW_ASKING] or words
    terms: dict[str, float] = dict.fromkeys((stem for stem, _ in words), 1.0)
    written = {stem: word for stem, word in reversed(words)}
    category = _CATEGORY.match(question)
    for term in content_terms(category.group(3)) if category else []:
        if term in terms:
            terms[term] = CATEGORY_WEIGHT
    retrieval_query = question
    followup = bool(history) and is_followup(question)
    context = ""
    if followup:
        context = _recent_context(history)
        context_words = content_words(context)
        earlier = {stem for stem, _ in context_words} - terms.keys()
        weight = HISTORY_WEIGHT
        if earlier:
            own = sum(terms.values()) or 1.0
            weight = min(HISTORY_WEIGHT, HISTORY_SHARE * own / len(earlier))
        for stem, word in context_words:
            terms.setdefault(stem, weight)
            written.setdefault(stem, word)
        retrieval_query = f"{context} {question}"
    if told_in := answer_words(question):
        retrieval_query = f"{retrieval_query} {told_in}"
    counted = counted_noun(question)
    name_of = noun_named(question)
    return Question(
        question,
        expected_answer_type(question),
        terms,
        retrieval_query,
        words=written,
        counted=counted,
        casualty=asked_casualty(question),
        country=counted_country(question, counted),
        measured=measured_unit(question),
        asked_noun=asked_noun(question) or name_of,
        name_asked=name_of is not None,
        role=asked_role(question),
        role_of=role_of(question),
        speaker=asked_speaker(question),
        identity=asked_identity(question),
        overview=overview,
        names=named_terms(question),
        compares=remarked or compares_sources(question),
        byline=asks_for_byline(question),
        followup=followup,
        context=context,
        where=not overview and asks_where(question),
    )


def named_terms(question: str) -> frozenset[str]:
    """The terms of what the question names: words written with a capital (the first
    word and two-letter abbreviations such as "PM" aside) or with a capital after a
    lower-case article ("al-Nuri"), countries, and numbers. A seat of government that
    speaks or owns ("Washington said", "Ankara's troops") names its country only."""
    named: set[str] = set()
    words = question.split()
    for i, word in enumerate(words):
        bare = word.strip("?!.,;:()\"'“”‘’")
        stems = content_terms(bare)
        if not stems:
            continue
        capitalised = bare[:1].isupper() and i > 0 and not (bare.isupper() and len(bare) <= 2)
        if government := government_of(bare, words[i - 1] if i else ""):
            # "Washington's backing" names the US government: a passage on "US support"
            # mentions it, though it never writes "Washington".
            named.update(content_terms(government))
        elif capitalised or country_of(bare) is not None or bare.isdigit():
            named.update(stems)
        else:
            named.update(_capitalised_parts(bare))
    return frozenset(named)


def _capitalised_parts(word: str) -> list[str]:
    """The terms of the capitalised parts of a hyphenated word that opens in lower case:
    a name behind an Arabic article ("al-Nuri", "el-Sisi") or a prefix ("pro-Kurdish")."""
    parts = word.split("-")
    return [t for part in parts[1:] if part[:1].isupper() for t in content_terms(part)]


def _recent_context(history: Sequence[Turn]) -> str:
    """The last user turn and the answer to it, without citation markers, bounded in size."""
    parts: list[str] = []
    for turn in reversed(history):
        text = spell_out(strip_markers(turn.content)).strip()
        parts.insert(0, text)
        if turn.role is Role.USER:
            break
    return " ".join(parts)[-_MAX_HISTORY_CHARS:]
