"""What kind of fact a sentence holds: a number, a sum of money, a date, a person's name,
someone's words.

In: a sentence (and the question, whose own facts do not count). Out: whether it holds
a fact of the kind the question asks for (``holds_answer_type``), whether it names a
date (``states_date``), the names of people in it (``person_names``) or of people and
places (``proper_names``, which the answerability model was fitted on), and whether it
gives a name where the noun a "which <noun>" question asks about stands
(``names_in_place``), or the name a question asks for at all (``gives_asked_name``).
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from qa.answer.answer_type import AnswerType, is_person_noun
from qa.answer.question import Question
from qa.text.equivalents import country_of
from qa.text.numbers import QUANTITY, numbers_in
from qa.text.terms import MONTH_NAMES, content_terms, stopwords

_MONEY = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s*(dollars?|euros?|pounds?|usd|dinars?)\b|"
    r"\b(dollars?|euros?|dinars?)\b",
    re.I,
)
_DATE = re.compile(
    rf"\b(1[89]\d\d|20\d\d)\b|\b({MONTH_NAMES})\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z’'-]+")
# Reported speech: a verb of saying, an attribution, or a quotation mark.
_SPEECH = re.compile(
    r"\b(say|says|said|tell|tells|told|stated|statement|warn(s|ed)?|announc(e|es|ed)|"
    r"add(s|ed)|urg(e|es|ed)|call(s|ed) (for|on)|insist(s|ed)?|claim(s|ed)?|stress(es|ed)|"
    r"emphasi[sz](e|es|ed)|not(e|es|ed)|ask(s|ed)?|declar(e|es|ed)|explain(s|ed)?|argu(e|es|ed)|"
    r"vow(s|ed)?|pledg(e|es|ed)|promis(e|es|ed)|threaten(s|ed)?|den(y|ies|ied)|"
    r"accus(e|es|ed)|according to|quoted|repl(y|ies|ied)|respond(s|ed)?|"
    # a stance said out loud: "has long criticised the presence of …", "described them as"
    r"critici[sz](e|es|ed)|condemn(s|ed)?|denounc(e|es|ed)|describ(e|es|ed)|prais(e|es|ed)|"
    r"demand(s|ed)?|reject(s|ed)?|dismiss(es|ed)?|welcom(e|es|ed)|report(s|ed)?)\b|[\"“”]",
    re.I,
)


# A calendar date or a clock time, whose numbers count nothing: "October 24, 2016",
# "24 October", "June 2014", "in 2014", "06.05.2017", "9:40".
_CALENDAR = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{MONTH_NAMES})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?"
    r"(?:,?\s+(?:1[89]|20)\d\d\b)?"
    r"|\b(?:1[89]|20)\d\d\b(?![,.]?\d)|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d\d\b",
    re.I,
)


# "In its second week": how long something has run, told by its stage.
_STAGE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"\s+(?:day|week|month|year)\b",
    re.I,
)


def _amounts(text: str) -> set[str]:
    """The numbers a text states, as digits, its vague amounts ("hundreds") and its
    stages ("second week"); not the numbers of its dates and times ("how many troops?"
    is not answered by "October 24")."""
    text = _CALENDAR.sub(" ", text)
    vague = {m.group(0).lower() for m in QUANTITY.finditer(text) if not m.group(0).isdigit()}
    stages = {m.group(0).lower() for m in _STAGE.finditer(text)}
    return numbers_in(text) | vague | stages


# Time told from the day of writing: "yesterday", "this morning", "earlier this week",
# "recently", "now". Such a sentence's event is dated by its article's date.
_RELATIVE_TIME = re.compile(
    r"\b(today|tonight|yesterday|recently|lately|now|currently|so far|"
    r"(this|last|earlier this|late last|early this|next) (morning|afternoon|evening|night|"
    r"week|weekend|month|year))\b",
    re.I,
)


def dated_by_article(sentence: str) -> bool:
    """The sentence tells its time from the day of writing ("this morning", "now"), so
    its article's date says when."""
    return bool(_RELATIVE_TIME.search(sentence))


def states_date(sentence: str) -> bool:
    """The sentence names a year, a month or a weekday."""
    return bool(_DATE.search(sentence))


def holds_answer_type(sentence: str, answer_type: AnswerType, question: str) -> bool:
    """True if the sentence holds a fact of the asked kind that the question does not."""
    match answer_type:
        case AnswerType.ANY:
            return True
        case AnswerType.STATEMENT:
            return bool(_SPEECH.search(sentence))
        case AnswerType.PERSON:
            return bool(person_names(sentence) - person_names(question))
        case AnswerType.MONEY:
            return bool(_MONEY.search(sentence))
        case AnswerType.NUMBER:
            pattern = QUANTITY
        case AnswerType.DATE:
            pattern = _DATE
        case AnswerType.NAME:
            pattern = _CAPITALISED
    if answer_type is AnswerType.NUMBER:
        # Whole numbers, not digits: "10-hour" is new beside a question's "2016".
        return bool(_amounts(sentence) - _amounts(question))
    asked = {m.group(0).lower() for m in pattern.finditer(question)}
    found = {m.group(0).lower() for m in pattern.finditer(sentence)}
    if answer_type is AnswerType.NAME:
        first_word = sentence.split()[0].lower() if sentence.split() else ""
        found.discard(first_word)
    return bool(found - asked)


_NAME_PART = r"(?:[A-Z][\w’'.-]+|al-[A-Z][\w’'-]+|bin|ibn|abu|Abu|de|van|von)"
_TITLE = (
    r"(?:(?:Gen|Col|Lt|Maj|Sgt|Capt|Brig|Adm|Gov|Sen|Rep|Dr|Mr|Mrs|Ms)\.?"
    r"|General|Colonel|Lieutenant|Major|Captain|Minister|President|Prime Minister|"
    r"Commander|Spokesman|Cleric|King|Emir|Sheikh|Imam)"
)
# A title within a run of capitalised words, read whole: "Prime Minister" is one title,
# where "Prime" on its own would pass for a name.
_TITLE_IN_RUN = re.compile(rf"(?<![\w.-])(?:{_TITLE}|Staff)(?![\w-])", re.I)
# "What's his first name?", "the colonel's full name": a name and a surname are asked.
_FIRST_NAME = re.compile(r"\b(?:first|given|full|christian)\s?names?\b|\bforenames?\b", re.I)
_PERSON = re.compile(
    rf"\b(?:[A-Z][a-z]+\.? )?{_NAME_PART}(?: {_NAME_PART})+\b|\b{_TITLE} [A-Z][\w’'-]+"
)


# What names a body or a place, not a person: a capitalised run holding one of these
# ("Interior Ministry", "Federal Police") or followed by one ("Rapid Response force").
_ORGANISATION_WORDS = """
agency airport alliance army association authority bank base battalion border brigade
bureau camp centre center city coalition college command commission committee company
corporation council county court department district division embassy force forces front
government group guard guards hospital institute league militia militias ministry
mobilisation mobilization movement network news office organisation organization party
police province regiment republic school service services society square state street
town tribe union unit units university village
"""
_ORGANISATION = frozenset(_ORGANISATION_WORDS.split())
# A place's features ("Tigris River") and the words that start a place's name ("Old
# Mosul", "East Aleppo"), and the days and months news writes beside a place ("Mosul
# Tuesday"): none is part of a person's name.
_PLACE_WORDS = frozenset(
    {"bay", "bridge", "canal", "dam", "desert", "gulf", "highway", "island", "lake"}
    | {"mountain", "mountains", "ocean", "river", "road", "sea", "valley"}
)
_PLACE_PREFIXES = frozenset(
    {"old", "new", "east", "west", "north", "south", "eastern", "western", "northern"}
    | {"southern", "upper", "lower", "greater"}
)
_DAYS_AND_MONTHS = frozenset(w.lower() for w in (*calendar.day_name, *calendar.month_name) if w)


def _organisation_word(word: str) -> bool:
    return re.sub(r"[’']s$", "", word.strip(".,;:()\"'“”‘’").lower()) in _ORGANISATION


@lru_cache(maxsize=50_000)
def proper_names(text: str) -> frozenset[str]:
    """Lower-cased words of what reads as the name of a person or a place: two or more
    capitalised words ("Ashton Carter", "Old Mosul") or a title and a name ("Colonel
    Dorrian"); countries and the names of their peoples are left out, and so are the
    names of bodies ("Interior Ministry", "Rapid Response force")."""
    return frozenset(w for run in _name_runs(text) for w in run)


@lru_cache(maxsize=50_000)
def person_names(text: str) -> frozenset[str]:
    """The words of ``proper_names`` that name people: two words or more, not a place
    ("Old Mosul", "Tigris River"), nor a day or month beside one ("Mosul Tuesday")."""
    names: set[str] = set()
    for run in _name_runs(text):
        if run[0] in _PLACE_PREFIXES or any(w in _PLACE_WORDS for w in run):
            continue
        words = [w for w in run if w not in _DAYS_AND_MONTHS]
        if len(words) > 1:  # "Iraqi Kurds" is a people, "Colonel Dorrian" a person
            names.update(words)
    return frozenset(names)


@lru_cache(maxsize=50_000)
def _name_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """The lower-cased words of each capitalised run that reads as a name, bodies' and
    countries' names taken out (read once for ``proper_names`` and ``person_names``)."""
    runs = []
    for match in _PERSON.finditer(text):
        if any(map(_organisation_word, text[match.end() :].split()[:1])):
            continue  # "Rapid Response force"
        run = match.group(0).split()
        # "Interior Ministry" is no one; "State John Kerry" is "John Kerry".
        cut = max((i for i, w in enumerate(run) if _organisation_word(w)), default=-1)
        words = [
            w.lower()
            for w in run[cut + 1 :]
            if country_of(w) is None and w.lower() not in stopwords()  # "The Red Cross"
        ]
        if words:
            runs.append(tuple(words))
    return tuple(runs)


_WORD = re.compile(r"[\w’'.-]+|,")
_APPOSITION = frozenset({"a", "an", "the", "its", "their", "his", "her"})
_NAMING = frozenset({"of", "called", "named", "dubbed"})


def names_in_place(sentence: str, noun: str, question: str) -> bool:
    """Whether the sentence gives a name the question does not hold in the place of the
    noun the question asks the name of: after it ("the Christian town of Bartalla",
    "Pentagon chief Ashton Carter", "their commander, General …"), before it ("Albu Kamal
    and Husseibeh areas") or in apposition ("Abdul Wahab al-Saadi, a top CTS commander",
    "Gen. Joseph Martin, commander of …").
    Such a sentence answers the question in the very words a reference would; for a
    first or full name, only a name of two words or more ("Colonel Dorrian" gives none)."""
    words = _WORD.findall(sentence)
    asked = set(content_terms(noun))
    known = _question_words(question)
    least = 2 if _FIRST_NAME.search(question) else 1
    for at, word in enumerate(words):
        if not asked & set(content_terms(word)):
            continue
        after = at + 1 + (words[at + 1 : at + 2] == [","])
        if words[after : after + 1] and words[after].lower() in _NAMING:
            after += 1 + (words[after + 1 : after + 2] == ["the"])
        before = at - (words[at - 1 : at] == [","])  # "Gen. Joseph Martin, commander of"
        # "the Hashed al-Shaabi paramilitary umbrella group" for "which paramilitary
        # umbrella group": the question's own words may stand between name and noun.
        while before > 1 and words[before - 1].lower() in known and words[before - 1].islower():
            before -= 1
        # "…, a top CTS commander": back over up to three words to an article and a comma
        for back in range(at - 1, max(0, at - 5), -1):
            if words[back].lower() in _APPOSITION and words[back - 1 : back] == [","]:
                before = back - 1
                break
        for run in (_name_run(words, after, 1), _name_run(words, before - 1, -1)[::-1]):
            if len(_TITLE_IN_RUN.sub(" ", " ".join(run)).split()) < least:
                continue
            if any(w.lower().strip(".") not in known and country_of(w) is None for w in run):
                return True
    return False


def gives_asked_name(sentence: str, question: Question) -> bool:
    """Whether the sentence gives the name the question asks for, where it asks one: a
    name no one has been given yet for "what's the name of the spokesman who …?" (not "a
    spokesman … told Reuters"), and for "what's the name of the border crossing …?" a
    name where the noun stands (``names_in_place``) or said to be its name ("a centre
    known as ‘Abu Massoud camp’", "The campaign, Euphrates Anger, is …"); True for a
    question that asks no name."""
    noun = question.asked_noun
    if (
        question.answer_type is AnswerType.NAME
        and is_person_noun(noun)
        and not person_names(sentence) - person_names(question.text)
    ):
        return False
    if not question.name_asked or noun is None:
        return True
    return names_in_place(sentence, noun, question.text) or _calls_by_name(sentence, question.text)


# "known as ‘Abu Massoud camp’", "called Euphrates Anger"; "The campaign, Euphrates
# Anger, is …" (a name in apposition to a noun).
_GIVEN_NAME = re.compile(
    r"\b(?:known as|called|named|dubbed)\s+[‘'\"“]?(?:the\s+)?([A-Z][\w’'-]*)"
    r"|\b(?i:the|a|an|its|their)\s+[a-z]+,\s+(?:the\s+)?([A-Z][\w’'-]*)[^,]{0,40},"
)


def _calls_by_name(sentence: str, question: str) -> bool:
    """Whether the sentence says something is called by a name the question lacks."""
    names = (m.group(1) or m.group(2) for m in _GIVEN_NAME.finditer(sentence))
    return any(name.lower() not in _question_words(question) for name in names)


@lru_cache(maxsize=1024)
def _question_words(question: str) -> frozenset[str]:
    """The question's words, lower-cased: a name among them is no answer (read once per
    question, not once for each sentence weighed against it)."""
    return frozenset(w.lower().strip(".") for w in _WORD.findall(question))


def _name_run(words: list[str], start: int, step: int) -> list[str]:
    """The capitalised words from ``start`` on, read forwards (``step`` 1) or backwards
    (-1), with "and" and "al-" inside a run ("Albu Kamal and Husseibeh"); none when the
    run is only the sentence's first word, capitalised as every first word is."""
    run: list[str] = []
    at = start
    while 0 <= at < len(words):
        beyond = words[at + step] if 0 <= at + step < len(words) else ""
        joins = words[at] == "and" and bool(run) and _capitalised(beyond)
        if not (_capitalised(words[at]) or joins):
            break
        run.append(words[at])
        at += step
    if len(run) == 1 and min(start, at - step) == 0:  # the run's first word is index 0
        return []
    return [w for w in run if w.lower() not in stopwords()]


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word.startswith("al-")
