"""What kind of fact a question asks for: a number, a sum, a date, a name, a person's name,
someone's words, or anything.

In: a question as typed (or as ``analyse_question`` has spelt it out). Out: its
``AnswerType``; for a "how many" question the noun it counts, whether the dead or the
wounded, and whose country's; for a "how far / long / big" question the units its answer
is in; for a "which <noun>" question the noun whose name it asks. A sentence without a
fact of the asked kind cannot answer the question (``qa.answer.facts``), nor a count of
other things (``qa.answer.evidence``); what the person asked for does ("who leads …")
is read in ``qa.answer.roles``. The question word is looked for at the start of any
clause (``CLAUSE``), not only of the text: people open questions with filler ("so",
"any idea", "lol").
"""

from __future__ import annotations

import re
from enum import StrEnum

from qa.text.equivalents import country_of
from qa.text.terms import IRREGULAR_VERBS, content_terms


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
CLAUSE = (
    r"(?:^|[,:;.!?(-]\s*|\b(?:so|and|but|ok|okay|well|wait|also|then|now|just|"
    r"idea|know|wonder|wondering|me|lol|lmao|hey|hi|yo|btw|hm+|um+|uh+|oh|ah)\s+)"
)
# What the articles are called when a question asks what they say ("what do the reports
# say about …"), not what someone said.
SOURCE_NOUNS = r"articles?|reports?|sources?|coverage|stories|story|pieces?|outlets?|press|media"
# "What did Abadi say about …", "what has Turkey warned": someone's words are asked for
# (not "what do the articles say", which asks what the articles report).
_STATEMENT = re.compile(
    r"\bwhat (did|does|do|has|have|had|was|were|is|are) (?!(the |these |those )?"
    rf"({SOURCE_NOUNS})\b)"
    r"[^?]{1,60}?\b(say|says|said|saying|tell|told|telling|warn|warned|warning|announce|"
    r"announced|claim|claimed|claiming|state|stated|reply|replied|respond|responded)\b",
    re.I,
)
_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w'.-]+\s*){1,4})", re.I)  # "U.S. troops"
# A "how many" followed by where or when counts a noun said before, not one after it.
_PLACE_OR_TIME = re.compile(
    r"(?:in|at|on|near|during|by|from|since|after|before|inside|outside|across|around|"
    r"when|while|there|here|altogether)\b",
    re.I,
)
# "What is the population of …", "what was the number of people displaced", "what's the
# death toll": "how many" in other words. The answer is a count, of the noun after "number
# of", of people for a population or a toll (of the group after "among": "the toll among
# border guards" counts guards); not "what's the population mostly?", which asks what it
# is made of.
_COUNT_NOUN = re.compile(
    CLAUSE + r"(?!.*\b(?:mostly|mainly|largely|predominantly|made up|composed|make-?up)\b)"
    r"what(?:'s| is| was| are| were)? (?:the |its |their )?(?:[\w'-]+ ){0,2}?"
    r"(population|(?:death )?toll|number|count|tally|headcount)\b"
    r"(?: (of|among)\s+((?:[\w'-]+\s*){1,4}))?",
    re.I,
)
_COUNTED_PEOPLE = frozenset({"population", "toll", "death toll", "headcount"})
_REGULAR_PAST = re.compile(r"\w{2,}ed", re.I)  # "died", "wounded"
_AUXILIARY = re.compile(
    r"\b(?:are|is|was|were|be|been|have|has|had|do|does|did|got|get|gets|will|would|could)\b"
)  # lower case: "IS fighters" names a group

# "on what calendar date", "what was the exact date": a date all the same.
EXACT = r"((exact|precise|calendar|specific|actual) )?"
# "How far" asks for a distance, but not in "how far has he gone with that?", "how far
# did they go with the talks?" or "how far did he take it?": how much someone dared or did.
_FAR = (
    r"far(?!\s+(?:\w+\s+){1,3}(?:(?:go|gone|went|going)\s+with"
    r"|(?:take|took|taken|taking|push|pushed)\s+(?:it|that|this|things))\b)"
)
# "How many / long / far …" asks for a number, with what may stand before it ("roughly
# how far", "for how long").
HOW_MUCH = (
    r"(?:(?:roughly|about|around|approximately|exactly|for) )?"
    rf"how (?:many|much|long|old|{_FAR}|big|large|tall|high|often|deep|wide)"
)
_MONEY_QUESTION = re.compile(
    r"\b(cost|costs|spend|spent|pay|paid|price|budget|worth|fund(ed|ing)?)\b", re.I
)
_PERSON_NOUNS = (
    "president|minister|general|commander|leader|spokesman|spokeswoman|official|colonel|"
    "cleric|chief|caliph|reporter|correspondent|person|man|woman"
)
# "which French president", "what US colonel" (not "what did Colonel X say": the words
# between may describe the person, not be the question's verb).
_PERSON_NOUN = re.compile(
    CLAUSE + r"(which|what) ((?!(is|was|are|were|did|does|do|has|have|had|will|would|can|"
    rf"could)\b)[\w-]+ ){{0,3}}({_PERSON_NOUNS})\b",
    re.I,
)
_PLACE_NOUNS = (
    "city|town|village|country|river|neighbou?rhood|district|area|region|province|road|camp|"
    "base|outlet|agency|network|channel|newspaper"
)
# "which city", "in what village", "which news agency": the answer is a place's or an
# outlet's name ("where" is not a name question: "along the city's southern limits").
_PLACE_NOUN = re.compile(
    CLAUSE + r"((in|at|from|to|into|near|on) )?(which|what) ((?!(is|was|are|were|did|does|"
    rf"do|has|have|had)\b)[\w'-]+ ){{0,2}}({_PLACE_NOUNS})\b",
    re.I,
)
# "Which Christian town …", "name the top CTS commander …", "what's the name of the
# spokesman …": the noun whose name is asked, a person's or a place's; a sentence may give
# the name in its place ("the Christian town of Bartalla", "al-Saadi, a top CTS commander").
_ASKED_NOUN = re.compile(
    CLAUSE + r"(?:(?:in|at|from|to|into|near|on) )?"
    r"(?:which|what|name the|whats? (?:is |was )?the name of the|what's the name of the) "
    r"(?:(?!(?:is|was|are|were|did|does|do|has|have|had|will|would|can|could)\b)[\w'-]+ ){0,3}?"
    rf"({_PERSON_NOUNS}|{_PLACE_NOUNS})(?:e?s)?\b",
    re.I,
)
# "What was the offensive called?", "what did they name the operation?": a name.
_CALLED = re.compile(
    CLAUSE + r"(what('s| is| was| are| were)? .{1,60}\b(called|named|dubbed|known as)\W*$|"
    r"what (did|do|does) \w+ (call|name|dub)\b)",
    re.I,
)
# "who commanded …", "who is commanding …", "who's the spokesman of …": the answer is a
# person, not a unit.
# "who was the Federal Police commander …", "who's the US general in charge of …": so too
# with the words that say whose.
_WHO_PERSON = (
    r"(who(?:'s| is| was)? (?:the |their |its )?(?:commander|command(?:ed|s|ing)|founded|"
    r"founder|heads|headed|head|chief|spokesman|spokeswoman|leader)\b|"
    r"who(?:'s| is| was) (?:the|their|its|[\w-]+'s) (?:[\w'-]+ ){0,3}?(?:president|minister|"
    r"general|commander|leader|spokesman|spokeswoman|official|colonel|cleric|chief|head|"
    r"founder)\b)"
)
# Only a person has a first, last or full name ("what's his first name?").
_PERSONAL_NAME = r"\b(first|last|full|given|family|sur) ?names?\b"


def expected_answer_type(question: str) -> AnswerType:
    q = question.strip().lower()
    if _MONEY_QUESTION.search(q) and re.search(CLAUSE + r"(how much|what)\b", q):
        return AnswerType.MONEY
    if re.search(CLAUSE + HOW_MUCH + r"\b", q) or _COUNT_NOUN.search(q):
        return AnswerType.NUMBER
    if re.search(
        CLAUSE + rf"(when\b|(in |on )?(what|which) {EXACT}(year|date|day|month)\b|"
        rf"what('s| is| was) the {EXACT}(date|day|year|month)\b)",
        q,
    ):
        return AnswerType.DATE
    if _PERSON_NOUN.search(q) or re.search(CLAUSE + _WHO_PERSON, q) or re.search(_PERSONAL_NAME, q):
        return AnswerType.PERSON
    if (
        re.search(CLAUSE + r"(who|whom|whose)\b", q)
        # "what's the name", "what are their names"
        or re.search(
            CLAUSE + r"what('s| is| was| were| are)? (the |his |her |their |its )?names?\b", q
        )
        or _PLACE_NOUN.search(q)
        or _CALLED.search(q)
    ):
        return AnswerType.NAME
    if _STATEMENT.search(q):
        return AnswerType.STATEMENT
    return AnswerType.ANY


def asked_noun(question: str) -> str | None:
    """The noun a question asks the name of, singular and lower-cased ("which Christian
    town" → "town", "name the top CTS commander" → "commander"), or None."""
    found = _ASKED_NOUN.search(question)
    return found.group(1).lower() if found else None


# "What's the name of the border crossing near …?", "the official code name of the
# operation to retake …": the name is asked for in so many words, of any noun.
_NAME_OF = re.compile(r"\bname of (?:(?:the|that|this|their|its|his|her) )?([^?!.]+)", re.I)
# The words after the noun that say which one is meant ("… crossing near Jordan where").
_WHICH_ONE = frozenset(
    {
        "who", "whom", "whose", "which", "that", "where", "when", "the", "a", "an", "to",
        "of", "in", "on", "at", "near", "for", "from", "by", "with", "is", "was", "are",
        "were", "has", "had", "did", "does", "do", "further", "full", "along", "inside",
        "outside", "around", "behind", "east", "west", "north", "south",
    }
)  # fmt: skip
# Nouns that stand for anything ("that umbrella thing", "the al jazeera guy"): no name is
# written in their place.
_VAGUE = frozenset({"thing", "things", "stuff", "one", "guy", "guys", "bloke", "dude", "lot"})


def noun_named(question: str) -> str | None:
    """The noun a question asks the name of in so many words, lower-cased ("what's the
    name of the border crossing near …?" → "crossing"; "… of the top CTS commander quoted
    …" → "commander"), or None when it does not ask "the name of" anything."""
    found = _NAME_OF.search(question)
    if not found:
        return None
    noun = None
    for word in found.group(1).split():
        bare = word.strip(",;:\"'“”‘’()")
        if bare[:1].isupper() and not bare.islower():
            continue  # a name or an acronym ("the IS training base"), not the noun
        # Past the noun: a word saying which one, or a participle after it ("quoted").
        if bare in _WHICH_ONE or (noun and re.fullmatch(r"\w{3,}ed", bare)):
            break
        noun = bare
    return None if noun in _VAGUE else noun


def is_person_noun(noun: str | None) -> bool:
    """Whether an asked noun is a person's ("spokesman", "commander"), not a place's."""
    return noun is not None and re.fullmatch(_PERSON_NOUNS, noun) is not None


def counted_noun(question: str) -> str | None:
    """The noun a "how many" question counts ("how many IS fighters" → "fighters"): the
    first plural among the few words after "how many" and before a verb, acronyms and
    the words of asking aside; none for "how many were killed", "how many died" or "how
    many guys"."""
    found = _HOW_MANY.search(question)
    if not found:
        asked = _COUNT_NOUN.search(question)
        if not asked:
            return None
        among = (asked.group(2) or "").lower() == "among"
        if asked.group(1).lower() in _COUNTED_PEOPLE and not among:
            return "people"  # "the toll among border guards" counts the guards
        if not asked.group(3):
            return None
        words = asked.group(3)
    else:
        words = found.group(1)
        if _PLACE_OR_TIME.match(words):
            return None  # "how many in the attack near Jordan": the noun was left out
    # The noun stands before the verb ("how many were killed" names none).
    before_verb = _AUXILIARY.split(words, maxsplit=1)[0]
    words = [w.strip(".") for w in before_verb.split()]
    words = [w for w in words if not w.isupper() and content_terms(w)]
    plural = next((w for w in words if len(w) > 3 and w.lower().endswith("s")), None)
    if plural:
        return plural.lower()
    if not words or _is_past_verb(words[0]):
        return None  # "how many died", "how many fled": the verb came first, no noun
    return words[0].lower()


# What befell those a count is of, where a number of one does not answer for the other:
# the dead and the wounded. "How many were wounded in the attack?" is not answered by
# "killing at least 15": a report gives the one toll and not the other as often as both.
CASUALTIES = {
    "killed": re.compile(
        r"\b(kill(s|ed|ing)?|die[sd]?|dying|dead|deaths?|lives|slain|fatalit(y|ies)|"
        r"(death )?toll|massacred?|executed|murder(ed)?)\b",
        re.I,
    ),
    "wounded": re.compile(r"\b(wound(s|ed|ing)?|injur(e|es|ed|y|ies|ing)|hurt)\b", re.I),
}


# A yes-or-no question ("Was he killed in the raid?", "so were any of them hurt?") asks
# whether it befell them: a passage that does not speak of it does not answer either.
_YES_OR_NO = re.compile(
    r"^\W*(?:(?:so|and|but|ok|wait|lol)\W+)?(?:was|were|is|are|did|has|had|have)\b", re.I
)


def asked_casualty(question: str) -> str | None:
    """Whether a count or a yes-or-no question asks for the dead ("killed") or the
    wounded ("wounded"); None when it asks for neither, or for both ("how many were
    killed or wounded?", "how many casualties": either toll answers it)."""
    if expected_answer_type(question) is not AnswerType.NUMBER and not _YES_OR_NO.match(question):
        return None
    asked = [casualty for casualty, words in CASUALTIES.items() if words.search(question)]
    return asked[0] if len(asked) == 1 else None


def states_casualty(text: str, casualty: str) -> bool:
    """Whether the text speaks of that casualty (any word for it: "died", "injuries")."""
    return bool(CASUALTIES[casualty].search(text))


def counted_country(question: str, counted: str | None) -> str | None:
    """The country whose people or things a "how many" question counts, as its key
    ("how many American soldiers" → "usa"): a word naming a country among the two before
    the counted noun. Five fighters of one side do not answer for the soldiers of another."""
    if counted is None:
        return None
    words = re.findall(r"[\w.'-]+", question)
    at = next((i for i, w in enumerate(words) if w.lower() == counted), None)
    if at is None:
        return None
    return next(filter(None, map(country_of, reversed(words[max(0, at - 2) : at]))), None)


def names_country(text: str, country: str) -> bool:
    """Whether the text names the country, by any of its words ("Washington", "US")."""
    return any(country_of(w) == country for w in re.findall(r"[\w.'-]+", text))


def _is_past_verb(word: str) -> bool:
    """A verb in the past ("died", "fled", "fought"): not the noun a count is of."""
    return word.lower() in IRREGULAR_VERBS or bool(_REGULAR_PAST.fullmatch(word))


# "How far", "how long", "how big": the units a number answering it is counted in. A
# near word counts too ("miles" for "kilometres"), but the word vectors put the units of
# time apart from one another ("hour" and "years" are as far apart as unrelated words),
# so a duration names each.
_MEASURES = (
    # "How far along (into) the offensive were we?": how long it had run, not a distance
    # (as "how far into the city did they push?" is).
    (
        re.compile(
            r"\bhow far (along\b|(into|in) (the |its |their )?([\w-]+ ){0,2}"
            r"(offensive|battle|campaign|operation|fight|fighting|war|siege|assault|talks)\b)",
            re.I,
        ),
        ("weeks", "months", "days", "years"),
    ),
    (re.compile(rf"\bhow ({_FAR}|close|near)\b|\bwhat distance\b", re.I), ("kilometres",)),
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


# How many of a measure's units are searched with: on the calibration and threshold sets
# plus fresh30, the first two (a duration's "years months") answered 9 more questions
# right and none fewer; the first one, 7; all six, 7 (the query drifts to its units).
MEASURE_QUERY_UNITS = 2


# "Why did …?", "how come …?": a cause is asked for.
_WHY = re.compile(CLAUSE + r"(?:why|how come)\b", re.I)
# What a cause is told with; on the same sets 2 more right and none fewer.
_CAUSE_WORDS = "because reason"


def answer_words(question: str) -> str:
    """Words the answer is told in that the question lacks, to search with it: "How
    long had IS ruled Mosul when …?" is answered by "its rule of two and half years",
    so a measure's units ("years months"); a "why" question by a cause ("because");
    "" for other questions."""
    if _WHY.search(question):
        return _CAUSE_WORDS
    return " ".join(measured_unit(question)[:MEASURE_QUERY_UNITS])
