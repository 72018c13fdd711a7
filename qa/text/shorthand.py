"""Chat and headline shorthand written out: "how many ppl got out abt then" → "how many
people got out about then"; "the PM" → "the prime minister"; "hows", "idk" and
informal words for people ("the IS bosses" → "the IS leaders") and the commonest slips
of fast typing ("teh") too.

In: text (a question as typed, a turn of the conversation, a sentence of an article).
Out: the same text with the shorthand of chat and headlines replaced by the words it
stands for, so that the terms, the answer type and the embedding of a question are those
of the words. Only shorthand that stands for one
word in any context is listed; ambiguous forms ("mil": military or million) are left.
The table is written here: the slang lexicons on the package index come with a whole
text-processing pipeline or a model to download.
"""

from __future__ import annotations

import re

_SHORTHAND = {
    "ppl": "people", "ppls": "people's", "abt": "about", "bout": "about", "govt": "government",
    "gov't": "government", "prez": "president", "thru": "through", "tho": "though",
    "cuz": "because", "coz": "because", "bc": "because", "b/c": "because", "w/": "with",
    "w/o": "without", "yr": "year", "yrs": "years", "hrs": "hours", "mins": "minutes",
    "ur": "your", "u": "you", "r": "are", "wat": "what", "wut": "what", "wht": "what",
    "whos": "who's", "wats": "what's", "whats": "what's", "pls": "please", "plz": "please",
    "thx": "thanks", "msg": "message", "info": "information", "approx": "approximately",
    "intl": "international", "dept": "department", "n": "and",
    # asking words and negations typed without their apostrophe
    "whens": "when's", "wheres": "where's", "hows": "how's", "howd": "how'd", "whyd": "why'd",
    "whered": "where'd", "whod": "who'd", "whatd": "what'd", "didnt": "didn't",
    "dont": "don't", "doesnt": "doesn't", "isnt": "isn't", "wasnt": "wasn't",
    "werent": "weren't", "arent": "aren't", "hadnt": "hadn't", "havent": "haven't",
    "couldnt": "couldn't", "wouldnt": "wouldn't", "theyre": "they're",
    # ... and a pronoun's or a modal's, where the run-together form is no English word
    # ("hed", "shed", "well", "were", "wont" and "cant" are, and are left)
    "theyd": "they'd", "theyll": "they'll", "theyve": "they've", "youre": "you're",
    "youve": "you've", "youd": "you'd", "youll": "you'll", "weve": "we've", "itll": "it'll",
    "thats": "that's", "theres": "there's", "wouldve": "would've", "couldve": "could've",
    "shouldve": "should've", "mustve": "must've", "shouldnt": "shouldn't",
    "idk": "I don't know", "dunno": "don't know", "any1": "anyone", "some1": "someone",
    "gonna": "going to", "wanna": "want to", "lemme": "let me", "gimme": "give me",
    # the slips of fast typing that spell no English word
    "teh": "the", "hte": "the", "adn": "and", "waht": "what", "whta": "what",
    # informal words for people a report names formally
    "honcho": "leader", "honchos": "leaders", "bigwig": "official", "bigwigs": "officials",
    "boss": "leader", "bosses": "leaders", "cops": "police", "kids": "children",
    "folks": "people",
    "jihadis": "jihadists", "jihadi": "jihadist",
}  # fmt: skip
# Short forms of headlines that count only as written, in capitals, and not after a
# number ("PM" is the prime minister; "pm" and "3 PM" the afternoon).
_CAPITALS = {"PM": "prime minister", "FM": "foreign minister"}
# A whole word, any case: not part of "U.S.", "P.M.", "k-pop", "R&B" or "gov't".
_WORD = re.compile(
    r"(?<![\w'/.])("
    + "|".join(re.escape(k) for k in sorted(_SHORTHAND, key=len, reverse=True))
    + r")(?![\w'/&-]|\.\w)",
    re.I,
)
_CAPITAL = re.compile(r"(?<!\d)(?<!\d )\b(" + "|".join(_CAPITALS) + r")\b")
# "hw" is "how" only where "how" asks ("hw far was it", "hw many"): elsewhere it may be
# homework or hardware.
_HOW = re.compile(
    r"\bhw(?= (?:many|much|far|long|big|old|often|come|did|does|do|was|were|is|are)\b)", re.I
)


def spell_out(text: str) -> str:
    """``text`` with chat shorthand replaced by the words it stands for."""
    text = _HOW.sub("how", _CAPITAL.sub(lambda m: _CAPITALS[m.group(1)], text))
    return _WORD.sub(lambda m: _SHORTHAND[m.group(1).lower()], text)
