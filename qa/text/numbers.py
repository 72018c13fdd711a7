"""Numbers in text, written as digits or as words.

In: text. Out: ``numbers_in``, the numbers it states as digit strings ("1,000" and
"1000" are one number, "five" is "5"); ``QUANTITY`` finds any amount, vague ones
("hundreds", "a dozen") included; ``as_written_in`` writes a sentence's numbers as a
source writes them.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
    "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000",
}  # fmt: skip
# Amounts without one exact value: they answer "how many" but pin no number down.
VAGUE_AMOUNTS = (
    "hundreds", "thousands", "million", "millions", "billion", "dozen", "dozens", "half"
)  # fmt: skip

_DIGITS = re.compile(r"\d[\d,.]*\d|\d")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)
_NOT_ALONE = frozenset({"one", "hundred", "thousand"})
_ANY_NUMBER = re.compile(rf"{_DIGITS.pattern}|{_NUMBER_WORD.pattern}", re.I)
QUANTITY = re.compile(r"\d|\b(" + "|".join([*NUMBER_WORDS, *VAGUE_AMOUNTS]) + r")\b", re.I)


def numbers_in(text: str) -> set[str]:
    """Numbers as digits: "1,000" and "1000" are one number, "five" is "5", "06" is "6"."""
    found = {_plain(m.group(0).replace(",", "").rstrip(".")) for m in _DIGITS.finditer(text)}
    found |= {NUMBER_WORDS[m.group(0).lower()] for m in _NUMBER_WORD.finditer(text)}
    return found


def _plain(number: str) -> str:
    """A whole number without leading zeros ("06" in a date is the 6 of "6 May")."""
    return number.lstrip("0") or "0" if number.isdigit() else number


def as_written_in(sentence: str, source: str) -> str:
    """``sentence`` with each number the source writes otherwise written as the source
    writes it ("outnumbered one to ten" of a source's "one to 10" becomes "one to 10"): a
    reader checking the source, or searching it, finds the figure as quoted. A number
    the source does not state, or states in the same form, is left as it is."""
    forms: dict[str, str] = {}
    for m in [*_DIGITS.finditer(source), *_NUMBER_WORD.finditer(source)]:
        forms.setdefault(_value(m.group(0)), m.group(0).rstrip("."))
    written = {m.group(0).lower() for m in _NUMBER_WORD.finditer(source)}
    written |= {m.group(0).rstrip(".") for m in _DIGITS.finditer(source)}

    def restore(m: re.Match[str]) -> str:
        number = m.group(0).rstrip(".")
        if number.lower() in written or number in written or _part_of_words(m, sentence):
            return m.group(0)
        form = forms.get(_value(number))
        if not form:
            return m.group(0)
        if form.isalpha():  # a word: capitalised only where the sentence begins
            form = form.capitalize() if m.start() == 0 else form.lower()
        return m.group(0).replace(number, form)

    return _ANY_NUMBER.sub(restore, sentence)


def _part_of_words(m: re.Match[str], sentence: str) -> bool:
    """A number word that is not a figure alone: "one" ("one of them", "no one"), or a
    part of a number in words ("two thousand")."""
    word = m.group(0).lower()
    if word not in NUMBER_WORDS:
        return False
    before = sentence[: m.start()].split()[-1:]
    after = sentence[m.end() :].split()[:1]
    beside = {w.strip(",.;:").lower() for w in (*before, *after)}
    return word in _NOT_ALONE or bool(beside & NUMBER_WORDS.keys())


def _value(number: str) -> str:
    """What a number written as digits or as a word stands for, as ``numbers_in`` says it."""
    word = NUMBER_WORDS.get(number.lower())
    return word if word else _plain(number.replace(",", "").rstrip("."))
