"""What a question asks for: its answer type, its terms and the turns it leans on."""

import pytest

from qa.answer.answer_type import (
    AnswerType,
    answer_words,
    asked_casualty,
    asked_noun,
    counted_country,
    counted_noun,
    expected_answer_type,
    noun_named,
)
from qa.answer.facts import holds_answer_type, names_in_place, person_names, proper_names
from qa.answer.question import (
    HISTORY_SHARE,
    analyse_question,
    asks_for_byline,
    asks_for_overview,
    is_followup,
    question_parts,
)
from qa.answer.roles import (
    asked_identity,
    asked_role,
    asked_speaker,
    introduces,
    names_speaker,
    names_whose_role,
    role_of,
    states_role,
)
from qa.types import Role, Turn


def test_question_words_set_the_expected_answer_type() -> None:
    assert expected_answer_type("How many fighters were killed?") is AnswerType.NUMBER
    assert expected_answer_type("How much did the offensive cost?") is AnswerType.MONEY
    assert expected_answer_type("When was the city taken?") is AnswerType.DATE
    assert expected_answer_type("Who leads the SDF?") is AnswerType.NAME
    assert expected_answer_type("Which defence minister hosted them?") is AnswerType.PERSON
    assert expected_answer_type("ok so who commanded the relief convoy?") is AnswerType.PERSON
    assert expected_answer_type("Who is commanding the relief convoy?") is AnswerType.PERSON
    assert expected_answer_type("Who's the spokesman for the fund?") is AnswerType.PERSON
    assert expected_answer_type("Who was the river police commander there?") is AnswerType.PERSON
    assert expected_answer_type("who's the UN official in charge?") is AnswerType.PERSON
    assert expected_answer_type("Who was Norway's finance minister then?") is AnswerType.PERSON
    assert expected_answer_type("Who was the agency that paid?") is AnswerType.NAME
    assert expected_answer_type("what was his first name?") is AnswerType.PERSON
    assert expected_answer_type("Which senior Flood-Control Board official spoke?") is (
        AnswerType.PERSON
    )
    assert expected_answer_type("ok so which county official signed it?") is AnswerType.PERSON
    assert expected_answer_type("Which agency's reporter was there?") is not AnswerType.PERSON
    assert expected_answer_type("what are their names?") is AnswerType.NAME
    assert expected_answer_type("On what calendar date did the road close?") is AnswerType.DATE
    assert expected_answer_type("What was the exact date of the vote?") is AnswerType.DATE
    assert expected_answer_type("Which group leads the SDF?") is AnswerType.ANY
    # A place or an outlet asked by its kind is a name; "where" may be a description.
    assert expected_answer_type("In which city did the ministers meet?") is AnswerType.NAME
    assert expected_answer_type("what TV network does she work for?") is AnswerType.NAME
    assert expected_answer_type("Which village was the camp near?") is AnswerType.NAME
    assert expected_answer_type("Where did the convoy stop?") is AnswerType.ANY
    assert expected_answer_type("What's the name of the relief operation?") is AnswerType.NAME
    assert expected_answer_type("so what was the name of that bridge?") is AnswerType.NAME
    assert expected_answer_type("What was the relief operation called?") is AnswerType.NAME
    assert expected_answer_type("so what did they call the new bridge") is AnswerType.NAME
    assert expected_answer_type("lol how deep was the flood water") is AnswerType.NUMBER
    assert expected_answer_type("hey when did the bridge reopen?") is AnswerType.DATE
    assert expected_answer_type("What was the vote called off for?") is AnswerType.ANY
    assert expected_answer_type("What did the names on the list have in common?") is AnswerType.ANY
    assert expected_answer_type("So what did the governor say about it?") is AnswerType.STATEMENT
    assert expected_answer_type("what has the ministry told families?") is AnswerType.STATEMENT
    assert expected_answer_type("What did Colonel Hale tell the press?") is AnswerType.STATEMENT
    assert expected_answer_type("What did the general do next?") is AnswerType.ANY
    # What the articles say is what they report, not someone's words.
    assert expected_answer_type("What do the articles say about the road?") is AnswerType.ANY
    assert expected_answer_type("What did the army do next?") is AnswerType.ANY


def test_a_sentence_must_hold_a_new_fact_of_the_asked_type() -> None:
    q = "How many PMU fighters were killed?"
    assert holds_answer_type("Five PMU fighters were allegedly killed.", AnswerType.NUMBER, q)
    assert not holds_answer_type("PMU fighters were killed.", AnswerType.NUMBER, q)
    # A stage tells how long something has run: "in its second week".
    along = "How far along was the rescue?"
    assert holds_answer_type(
        "With the rescue in its second week, rain fell.", AnswerType.NUMBER, along
    )
    assert not holds_answer_type("It cost 400 lives.", AnswerType.MONEY, "How much did it cost?")
    assert holds_answer_type("It cost $4 billion.", AnswerType.MONEY, "How much did it cost?")
    who = "Who commanded the Red Cross convoy?"
    assert holds_answer_type("Its head, Gen. Ivo Marek, led it.", AnswerType.PERSON, who)
    assert not holds_answer_type("The Red Cross convoy left Drava.", AnswerType.PERSON, who)
    said = "What did the governor say about the road?"
    assert holds_answer_type("The road will reopen, the ministry said.", AnswerType.STATEMENT, said)
    assert holds_answer_type("“We need boats,” Hale added.", AnswerType.STATEMENT, said)
    assert not holds_answer_type("Engineers closed the road.", AnswerType.STATEMENT, said)
    assert not holds_answer_type("Islamic State fighters cut the road.", AnswerType.STATEMENT, said)
    # A stance said out loud, or a report of what was said, answers it too.
    for stance in (
        "The governor has long criticised the closure, describing it as a disgrace.",
        "Reports started appearing that the road had reopened.",
        "The mayor rejected the plan.",
    ):
        assert holds_answer_type(stance, AnswerType.STATEMENT, said), stance


def test_the_numbers_of_a_date_or_a_time_are_no_amount() -> None:
    q = "How many troops were sent?"
    for sentence in (
        "Troops pushed into the village on October 24, 2016.",
        "The troops arrived on 6 May and the offensive began in 2016.",
        "Troops were sent at 9:40 on 06.05.2017.",
    ):
        assert not holds_answer_type(sentence, AnswerType.NUMBER, q), sentence
    for sentence in (
        "In June 2014, 2,000 troops were sent.",
        "Some 3000 troops were sent in 2016.",
        "Five battalions were sent on May 5.",
    ):
        assert holds_answer_type(sentence, AnswerType.NUMBER, q), sentence


def test_a_follow_up_borrows_terms_from_the_previous_turn_at_lower_weight() -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    question = analyse_question("Which militia does he speak for?", history)
    assert question.terms["speak"] == 1.0
    assert question.terms["tulaibawi"] < 1.0
    assert "Tulaibawi" in question.retrieval_query


def test_a_long_earlier_answer_does_not_outweigh_the_follow_up() -> None:
    answer = (
        "The Valley Rescue Service evacuated forty families from the riverbank on Monday "
        "after the northern road closed and the river climbed four metres overnight."
    )
    history = [Turn(Role.USER, "What did the rescuers do?"), Turn(Role.ASSISTANT, answer)]
    question = analyse_question("did they meet any resistance there?", history)
    own = sum(w for t, w in question.terms.items() if t in {"meet", "resist"})
    earlier = sum(w for t, w in question.terms.items() if t not in {"meet", "resist"})
    assert own == 2.0 and earlier == pytest.approx(HISTORY_SHARE * own)


def test_the_noun_after_which_weighs_less_because_the_answer_names_one() -> None:
    question = analyse_question("Which river did Iraqi forces reach?")
    assert question.terms["river"] < question.terms["reach"] == 1.0


def test_a_standalone_question_ignores_history() -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    question = analyse_question("How many people fled Mosul to the camps?", history)
    assert "tulaibawi" not in question.terms


def test_a_question_opening_with_and_but_or_what_about_goes_on_from_the_one_before() -> None:
    assert is_followup("and did the raiders make off with any boats?")
    assert is_followup("But why did the ferry turn back at Lenmar?")
    assert not is_followup("Did the raiders make off with any boats at Lenmar?")
    assert not is_followup("Anderson's ferry sailed from Lenmar: when did the crossing end?")
    # "What about …" turns the question before to something else, however much it says.
    assert is_followup("so what about the crews who stay on after the flood is over?")
    assert is_followup("How about the ferries that sailed from Lenmar at dawn?")


def test_a_group_named_alone_is_still_a_followup() -> None:
    # "Daesh" also reads as the group's one name, "ISIS"; the question still says one thing.
    assert is_followup("what about Daesh?") and is_followup("and isis?")
    assert not is_followup("what did Daesh do in Kirkuk?")


def test_a_question_word_after_filler_still_sets_the_answer_type() -> None:
    assert expected_answer_type("For my notes: roughly how far is it?") is AnswerType.NUMBER
    assert expected_answer_type("ok so who's in charge?") is AnswerType.NAME
    assert expected_answer_type("and when did it start?") is AnswerType.DATE
    assert expected_answer_type("any idea how many fled?") is AnswerType.NUMBER
    assert expected_answer_type("do you know when it started?") is AnswerType.DATE


def test_overview_questions_are_recognised() -> None:
    for question in (
        "Give me an overview of the talks",
        "tell me about the relief effort",
        "What role did the army play?",
        "Summarise the coverage of the floods",
        "what happened in the valley?",
        "what's it been like for the farmers?",
        "Can you give me a timeline of the relief effort?",
        "how did the lower valley fare?",
        "What was the ministry's angle in all this?",
        "what tactics did the engineers use?",
        "Why is the bridge such a big deal?",
        "What was the Red Cross's role in the relief?",
        "so what's going on in Drava now?",
        "what's happening with the repairs?",
        "whats the situation in the valley?",  # as typed on a phone
        "walk me through the evacuation",
        "What did the reports say about the dam after the storm?",
        "How does the bridge closure tie in with the floods?",
        "Tell me how the rescue played out over the week",
        "what's the Red Cross's involvement?",
        "Why was the bridge so important to the town?",
        "What's been going on at the dam?",
        "what has been happening in the lower valley",
        # What a named piece says about something, what a meeting was about, what else
        "What does the March 2019 report say about the levees?",
        "what did the Herald piece report about the evacuation?",
        "What were the budget talks in the capital about?",
        "so what was that all about?",
        "What else was going on in the valley that week?",
        # Plain ways of asking for the whole story
        "Sum up what the papers said about the levees.",
        "what's the gist of the Herald piece?",
        "What's the overall picture on the farmers?",
        "Give me the state of play at the dam.",
        "what was the political backdrop to the vote?",
        "What was life like in the town during the floods?",
        "How were the farmers affected by the floods?",
        "fill me in on the repairs",
        "Was the part played by the volunteers a big one?",
    ):
        assert asks_for_overview(question), question  # as the service asks it first
        assert analyse_question(question).overview, question
    for question in (
        "How many families were displaced?",
        "What did the bridge look like?",
        "What did the mayor say about the dam?",  # someone's words, not the coverage
        "How many people were involved in the rescue?",
        "Why was the bridge closed?",
        "What was the name of the bridge?",
        "What was the dispute about whether the dam would hold?",
    ):
        assert not analyse_question(question).overview, question


def test_the_words_that_ask_for_an_overview_are_not_its_terms() -> None:
    for question, terms in (
        ("walk me through the evacuation", {"evacu"}),
        ("What role did the army play in the relief?", {"armi", "relief"}),
        ("what's the big picture on the farmers?", {"farmer"}),
        ("Why was the bridge so significant?", {"bridg"}),
        ("what's the Red Cross's involvement?", {"red", "cross"}),
        ("what's the gist of the ferry story?", {"ferri"}),
        ("Sum up the key points on the levees", {"leve"}),
        ("How were the farmers affected?", {"farmer"}),
        ("what's the broader picture on the ferries?", {"ferri"}),
    ):
        assert set(analyse_question(question).terms) == terms, question
    # Not an overview: the same words are what it is about.
    assert "play" in analyse_question("Which band will play at the reopening?").terms
    # An overview asked in nothing but such words keeps them, rather than no terms at all.
    assert analyse_question("what's the big picture?").terms


def test_a_question_asking_how_sources_differ_is_recognised_and_that_is_not_a_term() -> None:
    for question in (
        "Who opened the bridge? I've read different accounts",
        "How many people left? Sources give different numbers.",
        "Do the reports agree on the cost?",
        "what do the outlets say, since the figures vary",
        "Who reopened the road? I've seen it described differently in different pieces.",
    ):
        analysed = analyse_question(question)
        assert analysed.compares, question
        assert not {"report", "sourc", "account", "differ", "agre", "piec", "see"} & set(
            analysed.terms
        ), question
    # A remark after the question that the sources name different things: what it names
    # is not what the question is about.
    for question in (
        "Who rebuilt the dam? I've seen it credited to different firms.",
        "Who gets credit for having rebuilt the dam? The articles seem to name different firms.",
        "Who rebuilt the dam? The reports seem to differ.",
        "Who rebuilt the dam? Accounts vary, the pieces I read disagree.",
    ):
        analysed = analyse_question(question)
        assert analysed.compares, question
        assert set(analysed.terms) == {"rebuilt", "dam"}, question
    # A remark before the question: what it says differs is what the question is about.
    before = analyse_question(
        "The articles seem to credit different firms with rebuilding the dam. Who does each "
        "one say did it?"
    )
    assert before.compares
    assert {"dam", "rebuild"} <= set(before.terms)
    assert not {"articl", "credit", "differ"} & set(before.terms)
    assert not analyse_question("The dam was rebuilt by different firms. Who paid?").compares
    # "conflict" is a war as often as a disagreement.
    war = analyse_question("Who rebuilt the dam? I read about the conflict there.")
    assert not war.compares and "conflict" in war.terms
    asked = analyse_question("Who rebuilt the dam? Which different firms bid?")
    assert not asked.compares and "firm" in asked.terms
    changed = analyse_question("How did the count of families change between the reports?")
    assert changed.compares and "chang" in changed.terms
    set_against = "How did the March count of families compare with the later figure?"
    assert analyse_question(set_against).compares
    assert not analyse_question("How did the families compare notes after the flood?").compares
    assert not analyse_question("What did the report say about the bridge?").compares
    assert not analyse_question("Which sources did the minister cite?").compares


def test_the_noun_a_how_many_question_counts() -> None:
    assert analyse_question("How many IS fighters were in the town?").counted == "fighters"
    assert analyse_question("how many of the families fled?").counted == "families"
    assert analyse_question("Who fled?").counted is None
    # The noun stands before the verb: these count no noun they name ("guys" is a word
    # of asking, like "stuff"), and "IS" names a group, not the verb.
    assert analyse_question("and how many were killed?").counted is None
    assert analyse_question("so how many PMU guys got killed?").counted is None
    assert analyse_question("How many IS fighters were killed there?").counted == "fighters"


def test_a_population_a_toll_or_a_number_of_things_asks_for_a_count() -> None:
    # "How many" in other words: a sentence with no number of the counted noun (or a
    # near one) cannot answer it, whatever other number it holds ("400 km from Basra").
    town = analyse_question("What's the population of Basra?")
    assert (town.answer_type, town.counted) == (AnswerType.NUMBER, "people")
    toll = analyse_question("so what was the death toll of the flood?")
    assert (toll.answer_type, toll.counted) == (AnswerType.NUMBER, "people")
    boats = analyse_question("What was the total number of boats sent?")
    assert (boats.answer_type, boats.counted) == (AnswerType.NUMBER, "boats")
    # What a population is made of is no count.
    made_of = analyse_question("what is the town's population mostly?")
    assert made_of.answer_type is AnswerType.ANY and made_of.counted is None


def test_the_unit_a_how_far_or_how_long_question_is_answered_in() -> None:
    assert analyse_question("roughly how far is the dam from the town?").measured == ("kilometres",)
    # A duration in any unit of time: the word vectors hold "hours" far from "years".
    assert {"years", "hours", "days"} <= set(analyse_question("How long had it lasted?").measured)
    assert analyse_question("how long did the tunnel stretch?").measured == ("metres",)
    # How far along (into) something is how long it has run, not a distance.
    far_along = analyse_question("How far into the relief operation were they when it rained?")
    assert "weeks" in far_along.measured and "kilometres" not in far_along.measured
    into = analyse_question("How far into the valley did the boats get?")
    assert into.measured == ("kilometres",)
    assert analyse_question("how deep was the water?").measured == ("metres",)
    assert analyse_question("How many fled?").measured == ()


def test_how_far_someone_went_with_something_asks_no_distance() -> None:
    # "How far has he gone with that?": how much he dared, not kilometres.
    for asked in ("how far has he gone with that?", "how far did he take that?"):
        dared = analyse_question(asked)
        assert (dared.answer_type, dared.measured) == (AnswerType.ANY, ()), asked
    went = analyse_question("How far did the boats go into the bay?")
    assert (went.answer_type, went.measured) == (AnswerType.NUMBER, ("kilometres",))


def test_the_asking_words_are_not_terms_wherever_they_stand() -> None:
    for chatty, plain in (
        # After a filler or a qualifier, "how long" and "how far" ask as at the start.
        ("so how long had the siege lasted?", "How long had the siege lasted?"),
        ("roughly how far is the dam from the town?", "How far is the dam from the town?"),
        ("ok, in which month did the dam open?", "In which month did the dam open?"),
        ("For how long had the siege lasted?", "How long had the siege lasted?"),
        ("idk, whens the dam opening?", "When is the dam opening?"),
        # Asking whether something is so, and where the asker saw it.
        ("lol is it true the ferry sank near the dam?", "The ferry sank near the dam?"),
        ("the bridge is closed now, is that legit?", "Is the bridge closed now?"),
        ("saw on twitter the levee broke, is that right?", "Did the levee break?"),
        ("so was the town totally flooded? I saw stuff online", "Was the town totally flooded?"),
        # "Any news on …": asking for what is told, not about the news.
        ("any news on the levee?", "The levee?"),
        ("any updates on the levee?", "The levee?"),
    ):
        assert analyse_question(chatty).terms == analyse_question(plain).terms, chatty
        assert analyse_question(chatty).answer_type is analyse_question(plain).answer_type, chatty
    # Not an asking phrase: what the question is about.
    assert "right" in analyse_question("Which bank of the river is the right one?").terms


def test_what_a_question_names_are_its_capitalised_words_countries_and_numbers() -> None:
    names = analyse_question("What weapons did Germany give the Kurdish fighters in 2016?").names
    assert names == {"germani", "kurdish", "2016"}
    assert "pm" not in analyse_question("What did the Iraqi PM say?").names
    assert analyse_question("so who's tulaibawi?").names == set()  # typed in lower case


def test_a_name_behind_a_lower_case_article_or_prefix_is_named() -> None:
    assert analyse_question("What happened to the al-Hadba tower?").names == {"hadba"}
    assert analyse_question("Did any pro-Kurdish party object?").names == {"kurdish"}
    assert analyse_question("Was the well-known bridge hit?").names == frozenset()


def test_a_seat_of_government_speaking_or_owning_names_its_country() -> None:
    # A passage on "German aid" mentions what "Berlin's aid" names, though not "Berlin".
    assert analyse_question("What did Berlin's envoy promise?").names == {"germani"}
    assert analyse_question("What did Berlin say about the dam?").names == {"germani"}
    assert analyse_question("Was anyone arrested in Berlin?").names >= {"berlin", "germani"}


def test_bodies_and_places_are_not_people() -> None:
    assert person_names("The Interior Ministry's Rapid Response force retook it.") == frozenset()
    assert person_names("The Federal Police seized the Abu Massoud camp.") == frozenset()
    assert person_names("Secretary of State Ivo Marek said so.") == {"ivo", "marek"}
    assert person_names("Its commander, General Tomas Hale, said so.") == {
        "general",
        "tomas",
        "hale",
    }
    who = "Who commanded the Rapid Response force?"
    assert not holds_answer_type("The Rapid Response force retook it.", AnswerType.PERSON, who)


def test_a_place_and_the_day_beside_it_are_no_one() -> None:
    assert person_names("Troops neared eastern Harlow Tuesday as ministers met.") == frozenset()
    assert person_names("Snipers held out in Old Harlow.") == frozenset()
    assert person_names("They reached the Avon River at dawn.") == frozenset()
    assert person_names("On Monday Ivo Marek said so.") == {"ivo", "marek"}
    # ... though each is a name the question does not hold, as the answerability model reads
    assert proper_names("Snipers held out in Old Harlow.") == {"old", "harlow"}
    who = "Who was the town's mayor?"
    assert not holds_answer_type("Troops neared Harlow Tuesday.", AnswerType.PERSON, who)


def test_a_compound_question_is_asked_as_its_questions() -> None:
    assert question_parts("How many families fled, and where did they shelter?") == [
        "How many families fled?",
        "where did they shelter?",
    ]
    assert question_parts("Which bridges were rebuilt and which in the lower valley?") == [
        "Which bridges were rebuilt?",
        "which in the lower valley?",
    ]
    assert question_parts("How full was the dam in May compared with how full it was in June?") == [
        "How full was the dam in May?",
        "how full it was in June?",
    ]
    assert question_parts("Which crews did the city hire upstream versus for the bridge?") == [
        "Which crews did the city hire upstream?",
        "for the bridge?",
    ]
    # "Which Dutch and which Belgian engineers …": the first part lacks its noun.
    assert question_parts("Which Dutch and which Belgian engineers came to the dam?") == [
        "Which Dutch engineers came to the dam?",
        "which Belgian engineers came to the dam?",
    ]
    # A word that only qualifies the asking stands between "and" and the question word.
    assert question_parts("When did the dam open, and roughly how long did it take to fill?") == [
        "When did the dam open?",
        "how long did it take to fill?",
    ]
    # "Compare <one question> with <another>".
    assert question_parts("Compare how full the dam was in May with how full it was in June.") == [
        "how full the dam was in May?",
        "how full it was in June.",
    ]
    # "What did A and B each …": the same question of each.
    assert question_parts("What did the mayor and the water board each promise?") == [
        "What did the mayor promise?",
        "What did the water board promise?",
    ]
    # "… and how many were …": the second "how many" counts what the first did.
    assert question_parts("How many families fled, and how many were still in shelters?") == [
        "How many families fled?",
        "how many families were still in shelters?",
    ]
    assert question_parts("How many people drowned in the town, and how many in the valley?") == [
        "How many people drowned in the town?",
        "how many people in the valley?",
    ]
    for whole in (
        "How did the figures change between March and April?",
        "Compare the dam with the one upstream.",
        "What did the mayor and the governor promise each other?",
        "What did the mayor compare with the flood of 1990?",
        "Who spoke for the Red Cross and the army?",
        "Give me an overview of the floods and what the governor did",  # one answer spans it
    ):
        assert question_parts(whole) == [whole]


def test_how_many_counts_the_noun_after_it_not_a_place_or_time() -> None:
    assert counted_noun("How many families fled the valley?") == "families"
    assert counted_noun("how many of the bridges were rebuilt?") == "bridges"
    assert counted_noun("how many total casualties were there?") == "casualties"
    assert counted_noun("how many armed volunteers came?") == "volunteers"
    for left_out in (
        "how many were rescued?",
        "how many in the valley?",
        "how many by June?",
        "how many drowned in the valley?",  # the verb, with no noun before it
        "how many fled?",
    ):
        assert counted_noun(left_out) is None, left_out


def test_a_toll_among_a_group_counts_that_group() -> None:
    assert counted_noun("What was the death toll among the rescue workers?") == "workers"
    assert counted_noun("what was the death toll in the valley?") == "people"
    assert counted_noun("What was the toll of the storm?") == "people"


def test_a_count_of_the_dead_or_of_the_wounded_is_told_apart() -> None:
    assert asked_casualty("How many people were injured when the bridge fell?") == "wounded"
    assert asked_casualty("how many ppl got hurt in the storm") == "wounded"
    assert asked_casualty("How many drowned or died of the cold?") == "killed"
    assert asked_casualty("what was the death toll in the valley?") == "killed"
    for either in (
        "How many were killed or wounded in the flood?",  # both tolls asked
        "How many casualties were there?",  # either toll answers
        "Who was injured when the bridge fell?",  # not a count
        "How many bridges were rebuilt?",
    ):
        assert asked_casualty(either) is None, either


def test_a_yes_or_no_question_asks_whether_the_dead_or_the_wounded_were_among_them() -> None:
    assert asked_casualty("Was the mayor killed in the flood?") == "killed"
    assert asked_casualty("so were any of the crew hurt?") == "wounded"
    assert asked_casualty("Did anyone die when the bridge fell?") == "killed"
    assert asked_casualty("Why was the mayor killed?") is None  # asks a cause, not whether


def test_the_country_of_what_a_count_counts_is_read_from_the_words_before_its_noun() -> None:
    def country(question: str) -> str | None:
        return counted_country(question, counted_noun(question))

    assert country("How many American soldiers were killed?") == "usa"
    assert country("how many U.S. troops are still there?") == "usa"
    assert country("How many armed Turkish volunteers came?") == "turkey"
    for none in (
        "How many soldiers were killed in Turkey?",  # a place, not whose soldiers
        "How many volunteers came?",
        "How many died?",
    ):
        assert country(none) is None, none


def test_a_question_after_an_article_s_byline_is_recognised_and_its_words_are_not_terms() -> None:
    for question, asked in (
        ("Who wrote the piece about the road reopening?", "author"),
        ("who wrote it?", "author"),
        ("Who is the author of the May 2021 story on the floods?", "author"),
        ("whose article was that?", "author"),
        ("Which outlet published the piece about the repairs?", "outlet"),
        ("what paper ran this story?", "outlet"),
        ("where was the article published?", "outlet"),
        ("Which site ran Lena Sorel's piece on the road?", "outlet"),
        ("When was the piece about the repairs published?", "published"),
        ("On what date did the Valley Post report on the bridges come out?", "published"),
        ("What day was the 'Sava valley road to reopen' story posted?", "published"),
    ):
        assert asks_for_byline(question) == asked, question
    for question in (
        "Who wrote the letter to the mayor?",  # what the article reports
        "Which outlet did the mayor speak to?",
        "Who ran the relief operation?",
        "What did the author say about the bridge?",
        "When was the bridge reopened?",
        "What date did the road reopen?",
    ):
        assert asks_for_byline(question) is None, question
    terms = analyse_question("Which outlet published the piece about the road reopening?").terms
    assert set(terms) == {"road", "reopen"}


def test_a_question_in_shorthand_has_the_terms_of_its_words() -> None:
    question = analyse_question("any idea how many ppl got out abt then?")
    assert "peopl" in question.terms and "ppl" not in question.terms
    assert question.answer_type is AnswerType.NUMBER


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("From which coastal town did the ferry sail?", "town"),
        ("Name the senior rescue commander quoted at the dam.", "commander"),
        ("ok so which areas did the flood reach?", "area"),
        ("What's the name of the league spokesman who spoke to the radio?", "spokesman"),
        ("What is the town called?", None),  # a name, but asked of no noun before it
        ("Which was the worst day?", None),
    ],
)
def test_the_noun_a_question_asks_the_name_of(question: str, noun: str | None) -> None:
    assert asked_noun(question) == noun


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("What's the name of the border crossing near Lenmar where guards died?", "crossing"),
        ("whats the name of the top RTS commander quoted about the dam", "commander"),
        ("What was the official code name of the operation to reopen the road?", "operation"),
        ("What was the name of the IS training base the police captured?", "base"),
        ("What's the name of Drava's mayor, the one who asked for boats?", "mayor"),
        ("whats the name of that umbrella thing full of relief groups?", None),  # anything
        ("What was the relief operation called?", None),
    ],
)
def test_the_noun_a_question_asks_the_name_of_in_so_many_words(
    question: str, noun: str | None
) -> None:
    assert noun_named(question) == noun
    assert analyse_question(question).name_asked is (noun is not None)


@pytest.mark.parametrize(
    ("sentence", "noun", "named"),
    [
        ("The ferry sailed from the coastal town of Lenmar at dawn.", "town", True),
        (
            '"Hold the line," said Ada Brill, a senior rescue commander, at the dam.',
            "commander",
            True,
        ),
        ("Their commander, Colonel Ivo Marek, ordered the retreat.", "commander", True),
        ("Boats reached the Dunmore and Kell areas by noon.", "area", True),
        ("The coastal town was quiet at dawn.", "town", False),
        ("A senior rescue commander said the dam would hold.", "commander", False),
        # The question's own name is no answer.
        ("The ferry sailed from the coastal town of Ostend.", "town", False),
        # A village is not the town asked for.
        ("The ferry sailed from the fishing village of Lenmar.", "town", False),
        # The question's own words may stand between the name and the noun.
        ("The Lenmar coastal town was quiet at dawn.", "town", True),
    ],
)
def test_a_name_is_read_where_the_asked_noun_stands(sentence: str, noun: str, named: bool) -> None:
    question = "From which coastal town did the ferry to Ostend sail?"
    assert names_in_place(sentence, noun, question) is named


def test_a_first_name_is_asked_of_a_name_in_two_words_or_more() -> None:
    question = "What is the first name of the colonel who ordered the retreat?"
    assert names_in_place("Colonel Ivo Marek ordered the retreat.", "colonel", question)
    # A title and a surname give no first name, though they answer "which colonel".
    assert not names_in_place("Colonel Marek ordered the retreat.", "colonel", question)
    which = "Which colonel ordered the retreat?"
    assert names_in_place("Colonel Marek ordered the retreat.", "colonel", which)


@pytest.mark.parametrize(
    "sentence",
    [
        "The league's leader, Prime Minister Marek, ordered the retreat.",
        "Prime Minister Marek, the leader of the league, ordered the retreat.",
    ],
)
def test_a_title_of_two_words_gives_no_first_name(sentence: str) -> None:
    # "Prime" is part of the title, not a name: "Prime Minister Marek" is a title and a
    # surname, as "Colonel Marek" is.
    question = "What is the first name of the leader who ordered the retreat?"
    assert not names_in_place(sentence, "leader", question)
    assert names_in_place(sentence.replace("Marek", "Ivo Marek"), "leader", question)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who is the leader of the rescue league?", "leads"),
        ("who's in charge of the river patrol?", None),  # a name asked, not a person's
        ("Who was the fire chief at the dam?", "leads"),
        ("Who founded the rescue league?", "founded"),
        ("Who was the league's spokesman?", "speaks"),
        ("Who found the missing boat?", None),  # finding is no founding
        ("When was the rescue league founded?", None),  # a date, not a person
        # What was agreed or promised, asked of anyone.
        ("What did the mayors agree on at the end of the meeting?", "agreed"),
        ("so what did they end up agreeing?", "agreed"),
        ("Why did the governor promise new boats?", "agreed"),
        ("Did the mayors agree to share the boats?", None),  # yes or no: "coordinated" says
        ("why did the league pull out of the rescue?", "withdrew"),
        ("Why did the patrol lose the bridge again in May?", "withdrew"),
        ("How many boats had the league lost by May?", None),  # a count, not why
    ],
)
def test_the_role_a_question_after_a_person_asks_about(question: str, role: str | None) -> None:
    assert asked_role(question) == role


@pytest.mark.parametrize(
    ("question", "whose"),
    [
        ("Who is the leader of the Drava Rescue League?", "Drava Rescue League"),
        ("What's the name of the commander of the River Patrol?", "River Patrol"),
        ("Who is the spokeswoman for the Hashed al-Shaabi?", "Hashed al-Shaabi"),
        ("Who commands the patrol?", None),  # no one's named
        ("Who is the leader of the league?", None),  # no name
        ("How many commanders of the River Patrol were there?", None),  # not a name asked
    ],
)
def test_whose_role_a_question_names(question: str, whose: str | None) -> None:
    assert role_of(question) == whose


def test_an_answer_must_name_whose_role_is_asked() -> None:
    whose = role_of("What's the name of the commander of the Northern Flotilla?")
    assert names_whose_role("Gen. Ada Brill, commander of the Northern Flotilla, left.", whose)
    # A commander of another body, in a sentence that does not name the flotilla.
    assert not names_whose_role("Gen. Ada Brill, commander of the river patrol, left.", whose)
    assert names_whose_role("Gen. Ada Brill, commander of the river patrol, left.", None)


def test_a_role_is_read_in_any_word_for_it() -> None:
    assert states_role("Gen. Ada Brill, commander of the river patrol, arrived.", "leads")
    assert states_role("The patrol, led by Ada Brill, arrived.", "leads")
    assert not states_role("The league's leadership met at noon.", "leads")  # a body
    assert not states_role("Ada Brill, spokeswoman for the league, arrived.", "leads")


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did Governor Ana Pell say about the repairs?", "Governor Ana Pell"),
        ("How did Mayor al-Hale respond to the flood warning?", "Mayor al-Hale"),
        ("What was Ana Pell's reaction to the report?", "Ana Pell"),
        ("What did Austria's government say about the dam?", "Austria's government"),
        ("What did he say about the repairs?", None),  # no name: who is the exchange's
        ("What do the articles say about the dam?", None),  # the sources
        ("What does the May piece say slowed the repairs?", None),
    ],
)
def test_whose_words_a_question_asks_for(question: str, speaker: str | None) -> None:
    assert asked_speaker(question) == speaker


def test_one_of_the_speakers_names_is_enough_and_anothers_words_are_not_theirs() -> None:
    assert names_speaker("Hale said the road would reopen.", "Mayor Tom al-Hale")
    assert not names_speaker("Ana Pell said the road would reopen.", "Mayor Tom al-Hale")
    assert names_speaker("Ana Pell said the road would reopen.", None)


def test_the_units_a_measure_is_told_in_are_searched_with() -> None:
    assert answer_words("How far had the crews got?") == "kilometres"
    # "its rule of two and half years": the answer's words are the units, not the question's.
    ruled = analyse_question("How long had the league run the valley when the dam broke?")
    assert ruled.retrieval_query.endswith("years months")
    deep = analyse_question("how deep was the flood in the square?")
    assert deep.retrieval_query.endswith("metres")
    assert analyse_question("Who ran the valley?").retrieval_query == "Who ran the valley?"


def test_a_question_asking_why_is_searched_with_the_words_a_cause_is_told_in() -> None:
    assert answer_words("so why did the crews stop at the bridge?") == "because reason"
    assert answer_words("How come the road stayed shut?") == "because reason"
    assert answer_words("Who stopped the crews?") == ""


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("who's ana pell?", "ana pell"),
        ("hey who is Governor Ana Pell", "Governor Ana Pell"),
        ("who's tom hale again?", "tom hale"),
        ("who is he?", None),  # no name: whom the exchange is about
        ("who's running it?", None),
        ("who was against them taking part?", None),
        ("Who is the leader of the league?", None),  # a role asked, not a name
    ],
)
def test_whom_a_question_asks_to_be_told_who_they_are(question: str, name: str | None) -> None:
    assert asked_identity(question) == name


def test_a_title_or_an_office_beside_the_name_says_who_someone_is() -> None:
    assert introduces("Governor Ana Pell toured the valley.", "ana pell")
    assert introduces("Ana Pell, the valley's governor, toured it.", "Ana Pell")
    assert introduces("said Tom al-Hale, spokesman for the crews.", "tom al-hale")
    assert not introduces("In her statement, Ana Pell stressed the road would stay shut.", "Pell")
