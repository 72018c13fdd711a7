"""Text analysis: numbers, citation markers and terms, as every stage reads them."""

from collections.abc import Collection

from qa.text.equivalents import country_of, government_of
from qa.text.markers import split_after_markers, split_markers, strip_markers
from qa.text.numbers import as_written_in, numbers_in
from qa.text.shorthand import spell_out
from qa.text.spelling import mend_typos
from qa.text.terms import content_terms, initialisms


def test_number_words_and_digits_are_the_same_number() -> None:
    assert numbers_in("Five fighters and 1,000 militants") == {"5", "1000"}
    assert numbers_in("a four-month-old offensive") == {"4"}


def test_markers_are_parsed_in_every_form() -> None:
    assert split_markers("Killed [1]. ") == ("Killed.", [1])
    assert split_markers("Killed. [1][2]") == ("Killed.", [1, 2])
    assert split_markers("Killed [1, 3].") == ("Killed.", [1, 3])


def test_markers_naming_two_sources_are_stripped_and_split_like_one() -> None:
    assert strip_markers("Killed [1, 2]. Fled [3].") == "Killed . Fled ."
    assert split_after_markers("Killed. [1, 2] Fled. [3]") == ["Killed. [1, 2]", "Fled. [3]"]


def test_irregular_verb_forms_match_their_base_form() -> None:
    assert content_terms("the SDF, led by the YPG") == content_terms("the SDF, lead by the YPG")


def test_british_and_american_spellings_are_one_term() -> None:
    assert content_terms("the Defence Minister's neighbourhood, 5 kilometres away") == (
        content_terms("the defense minister's neighborhood, 5 kilometers away")
    )
    assert content_terms("the troops") == ["troop"]  # a word with one spelling stays


def test_taking_a_place_back_is_taking_it() -> None:
    assert content_terms("forces retook the airport") == content_terms("forces took the airport")
    assert content_terms("re-captured it") == content_terms("captured it")
    assert content_terms("they regained ground") == content_terms("they gained ground")
    assert content_terms("regional recovery") == ["region", "recoveri"]  # not every "re"


def test_every_word_for_taking_a_place_is_taking_it() -> None:
    taken = content_terms("IS took Mosul")
    for said in [
        "IS took over Mosul", "the conquest of Mosul by IS", "IS conquered Mosul",
        "IS seized Mosul", "the seizure of Mosul by IS", "IS captured Mosul",
        "IS overran Mosul", "the IS takeover of Mosul", "IS is taking over Mosul",
        "IS grabbed Mosul",
    ]:  # fmt: skip
        assert sorted(content_terms(said)) == sorted(taken), said
    assert content_terms("the handover") == ["handov"]  # not every "over"


def test_abbreviated_months_and_short_forms_are_written_out() -> None:
    assert content_terms("late Oct. 2016") == content_terms("late October 2016")
    assert content_terms("10 nov 2016") == content_terms("10 November 2016")
    assert content_terms("mar the day") == ["mar", "day"]  # no capital, no number: a verb
    assert content_terms("how many ppl did the PM meet") == content_terms(
        "how many people did the prime minister meet"
    )
    assert content_terms("at 3 pm, at 3 PM") == ["pm", "pm"]  # the afternoon: no minister


def test_a_name_spelled_out_gives_its_initials() -> None:
    text = "The front was opened by the Syria Democratic Forces, led by the Kurdish YPG."
    assert "sdf" in initialisms(text)
    assert "cts" in initialisms("The Counter-Terrorism Service and the army")
    assert initialisms("fighting in the old city") == frozenset()


def test_question_words_and_stopwords_are_not_content() -> None:
    assert content_terms("How many of the fighters did they say were killed?") == [
        "fighter",
        "kill",
    ]
    assert content_terms("lol ok ballpark, how many were killed tbh?") == ["kill"]
    assert content_terms("hmm quick answer pls: who was killed?") == ["kill"]
    assert content_terms("does anyone know, or can someone let me know, who was killed?") == [
        "kill"
    ]
    assert content_terms("heard they originally fled, initially?") == ["flee"]
    # Hedges and asides of talk: "so is it like, honestly, even fighting? seems obvious,
    # any word on it at that point? I'm confused" asks only whether it was fighting.
    assert content_terms("so is isis like, honestly, literally even fighting?") == ["isi", "fight"]
    assert content_terms("seems obvious, but any word on how badly they fought at that point?") == [
        "fight"
    ]
    # ... but not "in total", which asks for a sum rather than one report's figure.
    assert "total" in content_terms("how many were killed in total?")
    # "under way" says only that something is going on; "some way to go" keeps its way.
    assert content_terms("the siege had been under way for weeks") == ["sieg", "week"]
    assert content_terms("the siege got underway") == ["sieg"]
    assert "way" in content_terms("the relief column still had some way to go")


def test_every_name_of_an_armed_group_shares_one_term() -> None:
    group = "isi"  # the term of "ISIS"
    for said in ["Daesh fighters", "the Islamic State", "ISIL", "Da’esh", "isis guys"]:
        assert group in content_terms(said), said
    assert "islam" in content_terms("the Islamic State")  # the name written still counts
    assert content_terms("IS fighters") == ["fighter"]  # "IS" is also the word "is"
    pmu = set(content_terms("PMU"))
    for said in ["Hashed al-Shaabi", "the Popular Mobilisation Forces", "Hashd", "the PMF"]:
        assert pmu <= set(content_terms(said)), said
    assert not pmu & set(content_terms("the plan was hashed out"))


def test_every_name_of_a_country_is_one_term() -> None:
    assert content_terms("Iranian-backed") == content_terms("Tehran-backed")[1:]
    assert set(content_terms("US troops")) == set(content_terms("American troops"))
    assert "usa" not in content_terms("tell us more")  # "us" the word is not the US
    assert content_terms("the United States") == content_terms("the US") == ["usa"]
    assert content_terms("United Kingdom troops") == content_terms("British troops")
    assert country_of("Ankara") == "turkey" and country_of("Mosul") is None


def test_a_seat_of_government_is_its_government_unless_it_is_where_something_is() -> None:
    assert government_of("Ankara’s") == government_of("Ankara") == "turkey"
    assert government_of("Ankara", before="to") is None  # "flew to Ankara": the city
    assert government_of("Ankara's", before="in") == "turkey"  # "in Ankara's view"
    assert government_of("Mosul's") is None and government_of("Turkey") is None


def test_a_date_s_day_and_month_are_the_same_numbers_as_written_out() -> None:
    assert numbers_in("2017-05-06") == numbers_in("6 5 2017") == {"6", "5", "2017"}


def test_chat_shorthand_is_written_out_but_not_inside_other_words() -> None:
    assert spell_out("how many ppl got out abt then? wat r u saying") == (
        "how many people got out about then? what are you saying"
    )
    assert spell_out("hw far was it") == "how far was it"
    assert spell_out("the HW budget") == "the HW budget"  # hardware, not "how"
    assert spell_out("the govt n the prez, w/ U.S. help") == (
        "the government and the president, with U.S. help"
    )
    # Asking words typed without their apostrophe ask as they do with it.
    assert spell_out("whens it start, hows it going, idk whos in charge") == (
        "when's it start, how's it going, I don't know who's in charge"
    )
    # ... and so do a pronoun's contractions: "they'd" is a stopword, "theyd" was a term.
    assert content_terms("did turkey say theyd send troops, or thats just talk") == (
        content_terms("did turkey say they'd send troops, or that's just talk")
    )
    # Informal words for the people a report names formally.
    assert content_terms("are the IS bosses and the jihadis running?") == content_terms(
        "are the IS leaders and the jihadists running?"
    )
    assert content_terms("who's the isis boss, dude") == content_terms("who's the isis leader")
    # The commonest slips of fast typing spell no word and read as the word meant.
    assert spell_out("whats teh name of hte group adn waht did it do") == (
        "what's the name of the group and what did it do"
    )
    for kept in ("the U.S. and the P.M.", "a k-pop band", "R&B", "Tal Afar", "5k people"):
        assert spell_out(kept) == kept


def test_a_mistyped_word_is_mended_to_the_word_the_articles_hold() -> None:
    held = {"outnumb": 2, "displac": 5, "famili": 7, "sava": 3, "tulaibawi": 1}

    def frequency(terms: Collection[str]) -> dict[str, int]:
        return {t: held.get(t, 0) for t in terms}

    mended = mend_typos("How many famlies were displced near the Sava?", frequency)
    assert mended == "How many families were displaced near the Sava?"
    assert mend_typos("how badly outnumberd were they", frequency) == (
        "how badly outnumbered were they"
    )


def test_a_name_spelt_another_way_is_read_as_the_articles_spell_it() -> None:
    # Names from Arabic or Turkish have several English spellings; a reader types the one
    # they remember. Only to a name: not to an English word, nor an initialism.
    held = {"qayara": 1, "cavusoglu": 1, "jawwad": 1, "dash": 3, "sdf": 2}

    def frequency(terms: Collection[str]) -> dict[str, int]:
        return {t: held.get(t, 0) for t in terms}

    assert mend_typos("What happened on the Sharqat-Qayyara road?", frequency) == (
        "What happened on the Sharqat-Qayara road?"
    )
    assert mend_typos("what did Mevlut Cavushoglu warn?", frequency) == (
        "what did Mevlut Cavusoglu warn?"
    )
    assert mend_typos("Who is Jawad al-Tulaibawi?", frequency) == "Who is Jawwad al-Tulaibawi?"
    for typed in ("Who is Daesh's leader?", "Where is the SDFF?", "Where is Qayyarah?"):
        assert mend_typos(typed, frequency) == typed


def test_english_words_and_names_no_article_holds_are_left_as_typed() -> None:
    # "wounded" is a word, though "founded" is one edit away and in the articles; a name
    # typed with its capital does not become an English word; a word with no neighbour
    # in the articles has nothing to become.
    # Chat shorthand is read as such ("mins" is minutes, not the articles' "men"), and a
    # British spelling is a word (the answerers join it to the American one).
    held = {"found": 4, "dash": 3, "men": 6, "neighborhood": 2, "far": 3}

    def frequency(terms: Collection[str]) -> dict[str, int]:
        return {t: held.get(t, 0) for t in terms}

    for typed in (
        "how many famlies fled?",  # "families", though "farlies" stems to the held "far"
        "How many were wounded?",
        "Who is Daesh's leader?",
        "was soleimani there?",
        "how many mins did it last?",
        "which neighbourhood was it?",
    ):
        assert mend_typos(typed, frequency) == typed
    assert mend_typos("who is daesh's leader?", frequency) == "who is dash's leader?"


def test_a_sentences_numbers_are_written_as_its_source_writes_them() -> None:
    source = "The militants are outnumbered about one to 10, and 1,000 remain; five died."
    assert (
        as_written_in("They were outnumbered one to ten; 1000 remain and 5 died.", source)
        == "They were outnumbered one to 10; 1,000 remain and five died."
    )
    assert as_written_in("5 died.", source) == "Five died."  # a sentence's first word
    # A number the source does not state, or states as written, stays as it is.
    assert (
        as_written_in("Seven fled in 2016; one to 10.", source) == "Seven fled in 2016; one to 10."
    )
    # "one" as a pronoun, and a number in several words, are not figures to rewrite.
    assert as_written_in("One of the 1 units.", "1 unit") == "One of the 1 units."
    assert as_written_in("Two thousand fled.", "2 of 1000") == "Two thousand fled."
