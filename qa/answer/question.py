"""What a question asks for: its content terms, the kind of answer it expects, and
the earlier turns it leans on.

In: the user's question and the conversation so far. Out: a ``Question`` with the
weighted terms an answer sentence should cover (and the words they were written as),
the ``AnswerType`` it should hold, the noun a "how many" question counts, and whether
it asks for an overview (a summary, a role, "what happened") rather than one fact.
People open questions with filler ("so", "hang on", "for my piece I need…:"), so the
question word is looked for at the start of any clause, not only of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from qa.text.equivalents import country_of
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
    }
)  # fmt: skip
_MAX_HISTORY_CHARS = 600


class AnswerType(StrEnum):
    """The kind of fact a question wants; a sentence without one cannot answer it."""

    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    NAME = "name"
    PERSON = "person"  # a name that reads as a person's: "which general", "who commanded"
    STATEMENT = "statement"  # what someone said: a sentence reporting speech
    ANY = "any"

    @property
    def described(self) -> str:
        """What the answer must give, as a notice to the reader says it."""
        return {
            AnswerType.MONEY: "sum of money",
            AnswerType.PERSON: "person's name",
            AnswerType.STATEMENT: "words anyone said",
        }.get(self, self.value)


# Where a clause may begin: the start, or after punctuation or a filler word;
# "any idea how many…", "do you know when…", "tell me who…": a question word after them
# starts the question too; so too after the noises of chat ("lol how deep …", "hey which …").
_CLAUSE = (
    r"(?:^|[,:;.!?(-]\s*|\b(?:so|and|but|ok|okay|well|wait|also|then|now|just|"
    r"idea|know|wonder|wondering|me|lol|lmao|hey|hi|yo|btw|hm+|um+|uh+|oh|ah)\s+)"
)
_OVERVIEW = re.compile(
    r"\b(overview|summar(y|ise|ize)|rundown|run-down|recap|tell me (about|more)|"
    r"what( else)?('s| has| had)? (been )?(happened|happening|went on|is going on|"
    r"was going on|going on)|"
    r"(what|which) (role|part)|role (of|in|did|does|do|has|have|played)|"
    r"what('s| is| was| were)? (the )?(situation|significance|story|deal|picture|background)|"
    r"explain|describe|background|big(ger)? picture|anything (on|about|else)|"
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
    r"what('s| is| was| has)? it (been )?like|angle|what (tactics|strategy|strategies)|"
    r"big deal|why does .{1,60} matter|"
    r"why (is|was|are|were) .{1,60} (important|significant|crucial|sensitive|contentious))\b",
    re.I,
)
# "I've seen it credited to different units in different reports", "do the sources agree?":
# the asker wants each source's version, not one of them.
_COMPARES_SOURCES = re.compile(
    r"\b((different|differing|various|conflicting|other) (reports|sources|articles|outlets|"
    r"accounts|versions|figures|numbers|estimates|pieces|stories|papers|coverage)|"
    r"(described|reported|credited|told|given|written|put) differently|"
    r"(reports|sources|articles|outlets|accounts|"
    r"figures|numbers|estimates) (differ|disagree|vary|conflict|contradict)\w*|"
    r"(do|does) (the )?(reports|sources|articles|outlets|accounts) (agree|differ))\b",
    re.I,
)
# "Who captured the airport? I've seen it credited to different units.", "... The reports
# seem to differ.": a sentence after the question that remarks that the sources differ
# (it says so and names what it read; it is no question itself) asks for each source's
# version, and its words are not what the question is about. Not "conflict": a war too.
_SENTENCE_AFTER = re.compile(r"(?<=[.?!])\s+")
_DIFFER = re.compile(
    r"\b(different|differ|differs|differing|disagree\w*|conflicting|contradict\w*|"
    r"inconsistent|various|vary|varies|mixed)\b",
    re.I,
)
_READ = re.compile(
    r"\b(seen|read|heard|credit\w*|nam(e|es|ed|ing)|describ\w*|report\w*|account\w*|"
    r"version\w*|sources?|articles?|pieces?|outlets?|stor(y|ies)|papers?|coverage|says?|said|"
    r"claim\w*|giv(e|es|en)|attribut\w*|cit(e|es|ed))\b",
    re.I,
)
# "How did the estimates change between October and May?": each report's figure, by date.
_CHANGE = re.compile(
    r"\bhow (did|has|have|do|does) .{1,60} (change|changed|evolve|evolved|shift|shifted) "
    r"(between|from|over|across)\b",
    re.I,
)
# "Who wrote the piece on …?", "which outlet ran it?": the article's byline is asked for,
# which its metadata gives, not its sentences. The object must be the article itself
# ("who wrote the letter" asks what the article reports).
_AN_ARTICLE = (
    r"(it|this|that|the (\S+ ){0,4}?(article|piece|story|report|item|post|op-ed|one|coverage)"
    r"|(this|that) (\S+ ){0,3}?(article|piece|story|report))\b"
)
_BYLINE = {
    "author": re.compile(
        rf"\bwho (wrote|authored|penned) {_AN_ARTICLE}|\bwho('s| is| was) the (author|writer|"
        rf"reporter|journalist)\b|\b(author|writer|byline) (of|on|for) {_AN_ARTICLE}|"
        r"\bwhose (article|piece|story|report)\b",
        re.I,
    ),
    "outlet": re.compile(
        r"\b(which|what) (news )?(outlet|site|website|newspaper|paper|publication|magazine) "
        rf"(published|ran|carried|put out|printed) {_AN_ARTICLE}|\bwho (published|ran) "
        rf"{_AN_ARTICLE}|\bwhere (was|did) {_AN_ARTICLE} (published|run|appear)\b",
        re.I,
    ),
}
# "What did Abadi say about …", "what has Turkey warned": someone's words are asked for
# (not "what do the articles say", which asks what the articles report).
_STATEMENT = re.compile(
    r"\bwhat (did|does|do|has|have|had|was|were|is|are) (?!(the |these |those )?"
    r"(articles?|reports?|sources?|coverage|stories|story|pieces?|outlets?|press|media)\b)"
    r"[^?]{1,60}?\b(say|says|said|saying|tell|told|telling|warn|warned|warning|announce|"
    r"announced|claim|claimed|claiming|state|stated|reply|replied|respond|responded)\b",
    re.I,
)
_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w'-]+\s*){1,4})", re.I)
_AUXILIARY = re.compile(
    r"\b(?:are|is|was|were|be|been|have|has|had|do|does|did|got|get|gets|will|would|could)\b"
)  # lower case: "IS fighters" names a group

# "on what calendar date", "what was the exact date": a date all the same.
_EXACT = r"((exact|precise|calendar|specific|actual) )?"
# "How many / long / far …" asks for a number, with what may stand before it ("roughly
# how far", "for how long").
_HOW_MUCH = (
    r"(?:(?:roughly|about|around|approximately|exactly|for) )?"
    r"how (?:many|much|long|old|far|big|large|tall|high|often|deep|wide)"
)
# Where a clause begins, not only at the start: "so how long had it been running" asks
# as "how long" does ("long" is not what it is about).
_WH_PHRASE = re.compile(
    _CLAUSE + rf"({_HOW_MUCH}|"
    rf"(in |on )?(what|which) {_EXACT}(year|date|day|month|time)|"
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
_MONEY_QUESTION = re.compile(
    r"\b(cost|costs|spend|spent|pay|paid|price|budget|worth|fund(ed|ing)?)\b", re.I
)
# "which French president", "what US colonel" (not "what did Colonel X say": the words
# between may describe the person, not be the question's verb).
_PERSON_NOUN = re.compile(
    _CLAUSE + r"(which|what) ((?!(is|was|are|were|did|does|do|has|have|had|will|would|can|"
    r"could)\b)[\w-]+ ){0,3}(president|minister|general|commander|leader|spokesman|"
    r"spokeswoman|official|colonel|cleric|chief|caliph|reporter|correspondent|person|man|woman)\b",
    re.I,
)
# "which city", "in what village", "which news agency": the answer is a place's or an
# outlet's name ("where" is not a name question: "along the city's southern limits").
_PLACE_NOUN = re.compile(
    _CLAUSE + r"((in|at|from|to|into|near|on) )?(which|what) ((?!(is|was|are|were|did|does|"
    r"do|has|have|had)\b)[\w'-]+ ){0,2}(city|town|village|country|river|neighbou?rhood|"
    r"district|area|region|province|road|camp|base|outlet|agency|network|channel|newspaper)\b",
    re.I,
)
# "What was the offensive called?", "what did they name the operation?": a name.
_CALLED = re.compile(
    _CLAUSE + r"(what('s| is| was| are| were)? .{1,60}\b(called|named|dubbed|known as)\W*$|"
    r"what (did|do|does) \w+ (call|name|dub)\b)",
    re.I,
)
# "who commanded …", "who's the spokesman of …": the answer is a person, not a unit.
# "who was the Federal Police commander …", "who's the US general in charge of …": so too
# with the words that say whose.
_WHO_PERSON = (
    r"(who(?:'s| is| was)? (?:the |their |its )?(?:commander|commanded|commands|founded|"
    r"founder|heads|headed|head|chief|spokesman|spokeswoman|leader)\b|"
    r"who(?:'s| is| was) (?:the|their|its) (?:[\w'-]+ ){1,3}?(?:president|minister|general|"
    r"commander|leader|spokesman|spokeswoman|official|colonel|cleric|chief|head|founder)\b)"
)
_ANAPHORA = re.compile(
    r"\b(he|she|him|her|his|hers|they|them|their|it|its|this|that|these|those|"
    r"there|the same)\b",
    re.I,
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
    measured: tuple[str, ...] = ()  # the units a "how far / long" question's answer is in
    overview: bool = False  # asks for a summary, a role, "what happened": several passages
    names: frozenset[str] = frozenset()  # terms the question names: people, places, years
    compares: bool = False  # asks how the sources' versions differ: one from each
    byline: str | None = None  # asks who wrote an article ("author") or who ran it ("outlet")
    followup: bool = False  # read with the exchange before it, whose terms are in ``terms``
    context: str = ""  # ... that exchange, for a follow-up: what the asker has been told


# Only a person has a first, last or full name ("what's his first name?").
_PERSONAL_NAME = r"\b(first|last|full|given|family|sur) ?names?\b"


def expected_answer_type(question: str) -> AnswerType:
    q = question.strip().lower()
    if _MONEY_QUESTION.search(q) and re.search(_CLAUSE + r"(how much|what)\b", q):
        return AnswerType.MONEY
    if re.search(_CLAUSE + _HOW_MUCH + r"\b", q):
        return AnswerType.NUMBER
    if re.search(
        _CLAUSE + rf"(when\b|(in |on )?(what|which) {_EXACT}(year|date|day|month)\b|"
        rf"what('s| is| was) the {_EXACT}(date|day|year|month)\b)",
        q,
    ):
        return AnswerType.DATE
    if (
        _PERSON_NOUN.search(q)
        or re.search(_CLAUSE + _WHO_PERSON, q)
        or re.search(_PERSONAL_NAME, q)
    ):
        return AnswerType.PERSON
    if (
        re.search(_CLAUSE + r"(who|whom|whose)\b", q)
        # "what's the name", "what are their names"
        or re.search(
            _CLAUSE + r"what('s| is| was| were| are)? (the |his |her |their |its )?names?\b", q
        )
        or _PLACE_NOUN.search(q)
        or _CALLED.search(q)
    ):
        return AnswerType.NAME
    if _STATEMENT.search(q):
        return AnswerType.STATEMENT
    return AnswerType.ANY


def asks_for_byline(question: str) -> str | None:
    """What of an article's byline the question asks for: "author" ("who wrote the piece
    on …?"), "outlet" ("which site ran it?"), or None."""
    return next((asked for asked, pattern in _BYLINE.items() if pattern.search(question)), None)


def asks_for_overview(question: str) -> bool:
    """A summary, a role, "what happened", "tell me about": several passages answer it
    (read as ``analyse_question`` reads it: "whats the situation" asks it too)."""
    return bool(_OVERVIEW.search(spell_out(question)))


def counted_noun(question: str) -> str | None:
    """The noun a "how many" question counts ("how many IS fighters" → "fighters"): the
    first plural among the few words after "how many" and before a verb, acronyms and
    the words of asking aside; none for "how many were killed" or "how many guys"."""
    found = _HOW_MANY.search(question)
    if not found:
        return None
    # The noun stands before the verb ("how many were killed" names none).
    before_verb = _AUXILIARY.split(found.group(1), maxsplit=1)[0]
    words = [w for w in before_verb.split() if not w.isupper() and content_terms(w)]
    plural = next((w for w in words if len(w) > 3 and w.lower().endswith("s")), None)
    return (plural or (words[0] if words else "")).lower() or None


# "How far", "how long", "how big": the units a number answering it is counted in. A
# near word counts too ("miles" for "kilometres"), but the word vectors put the units of
# time apart from one another ("hour" and "years" are as far apart as unrelated words),
# so a duration names each.
_MEASURES = (
    (re.compile(r"\bhow (far|close|near)\b|\bwhat distance\b", re.I), ("kilometres",)),
    (re.compile(r"\bhow long\b.{0,60}\b(stretch|extend)", re.I), ("metres",)),
    (
        re.compile(r"\bhow (long|old)\b", re.I),
        ("years", "months", "weeks", "days", "hours", "minutes"),
    ),
    (re.compile(r"\bhow (big|large|wide|deep|high|tall)\b", re.I), ("metres",)),
)


def measured_unit(question: str) -> tuple[str, ...]:
    """The units a "how far / long / big" question's answer is counted in, as words
    ("kilometres"; "years", "months" ... for a duration); none for other questions."""
    return next((units for pattern, units in _MEASURES if pattern.search(question)), ())


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
    return [p if p.endswith(("?", ".", "!")) else p + "?" for p in parts]


def _with_shared_words(part: str, after: str) -> str:
    """A part that is only its question word and a word describing what the next part
    names ("Which Turkish" of "Which Turkish and which Russian officials are quoted?")
    takes the rest of the next part: "Which Turkish officials are quoted?"."""
    words, following = part.split(), after.split()
    if len(words) != 2 or len(following) < 4 or words[0].lower() != following[0].lower():
        return part
    return " ".join([*words, *following[2:]])


def is_followup(question: str) -> bool:
    """A question that leans on earlier turns: it refers back, or says too little alone."""
    return bool(_ANAPHORA.search(question)) or len(content_terms(question)) < 2


def analyse_question(question: str, history: Sequence[Turn] = ()) -> Question:
    """Terms, answer type and retrieval query for ``question`` read in its conversation."""
    question = spell_out(question)  # "how many ppl" asks about people
    # "... in different reports" says how to answer, not what about: not a term; nor
    # "who wrote the piece" or "which site ran it", which ask for the byline.
    stripped = question
    for pattern in _BYLINE.values():
        stripped = pattern.sub(" ", stripped)
    remark = _remark_on_sources(stripped)
    stripped = stripped.replace(remark, " ") if remark else stripped
    stripped = _COMPARES_SOURCES.sub(" ", _WH_PHRASE.sub(" ", stripped))
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
    return Question(
        question,
        expected_answer_type(question),
        terms,
        retrieval_query,
        words=written,
        counted=counted_noun(question),
        measured=measured_unit(question),
        overview=overview,
        names=named_terms(question),
        compares=bool(remark or _COMPARES_SOURCES.search(question) or _CHANGE.search(question)),
        byline=asks_for_byline(question),
        followup=followup,
        context=context,
    )


def _remark_on_sources(question: str) -> str | None:
    """The first sentence after the question's first that remarks that the sources
    differ, not asking anything ("The articles seem to name different units."), or None."""
    for sentence in _SENTENCE_AFTER.split(question.strip())[1:]:
        if not sentence.endswith("?") and _DIFFER.search(sentence) and _READ.search(sentence):
            return sentence
    return None


def named_terms(question: str) -> frozenset[str]:
    """The terms of what the question names: words written with a capital (the first
    word and two-letter abbreviations such as "PM" aside), countries, and numbers."""
    named: set[str] = set()
    words = question.split()
    for i, word in enumerate(words):
        bare = word.strip("?!.,;:()\"'“”‘’")
        stems = content_terms(bare)
        if not stems:
            continue
        capitalised = bare[:1].isupper() and i > 0 and not (bare.isupper() and len(bare) <= 2)
        if capitalised or country_of(bare) is not None or bare.isdigit():
            named.update(stems)
    return frozenset(named)


def _recent_context(history: Sequence[Turn]) -> str:
    """The last user turn and the answer to it, without citation markers, bounded in size."""
    parts: list[str] = []
    for turn in reversed(history):
        text = spell_out(strip_markers(turn.content)).strip()
        parts.insert(0, text)
        if turn.role is Role.USER:
            break
    return " ".join(parts)[-_MAX_HISTORY_CHARS:]
