"""Which articles a question names as its source: an outlet, an author, a month."""

from datetime import date

from qa.answer.named_sources import each_named_source, named_sources, titled_articles

OUTLETS = ["Northern Herald", "River Times", "Dana Reed", "AFP"]


def test_an_outlet_named_as_the_source_is_found_and_its_words_leave_the_question() -> None:
    for question in (
        "How many families were displaced, according to the River Times?",
        "How many families were displaced, per the River Times report?",
        "How many families were displaced by the River Times' count?",
    ):
        named = named_sources(question, OUTLETS)
        assert named.names == ("River Times",), question
    # ... or as the one whose telling the reader wants
    for question in (
        "Tell me about the flooding as the River Times describes it.",
        "Tell me about the flooding in the River Times' telling.",
    ):
        named = named_sources(question, OUTLETS)
        assert named.names == ("River Times",), question
        assert named.question == "Tell me about the flooding.", question
    named = named_sources("What does the River Times report say about schools?", OUTLETS)
    assert named.names == ("River Times",)
    assert named.question == "What does the report say about schools?"
    named = named_sources("What did Dana Reed write about the road?", OUTLETS)
    assert named.names == ("Dana Reed",) and named.question.endswith("write about the road?")
    # ... with a month of no year before it, which goes with the outlet's words
    named = named_sources("How far had the water risen, per the March River Times report?", OUTLETS)
    assert named.names == ("River Times",) and named.published_from is None
    assert named.question == "How far had the water risen?"
    named = named_sources("What did the March River Times piece say about schools?", OUTLETS)
    assert named.question == "What did the piece say about schools?"
    # ... with the piece's title between the outlet and the piece
    named = named_sources("When was the AFP 'Boats reach Drava' piece published?", OUTLETS)
    assert named.names == ("AFP",)
    assert named.question == "When was the 'Boats reach Drava' piece published?"


def test_a_name_the_question_is_about_is_not_its_source() -> None:
    for question in (
        "Who told AFP about the boats?",
        "Where was the governor talking to AFP from?",
        "Is the Northern Herald still printed?",
    ):
        named = named_sources(question, OUTLETS)
        assert named.names == () and named.question == question
        assert named.published_from is None


def test_a_month_of_publication_is_a_date_range() -> None:
    named = named_sources("Who spoke in the March 2021 Northern Herald piece?", OUTLETS)
    assert (named.published_from, named.published_to) == (date(2021, 3, 1), date(2021, 3, 31))
    assert named.names == ("Northern Herald",) and named.question == "Who spoke in the piece?"
    named = named_sources("How much did repairs cost, in the report from April 2021?", OUTLETS)
    assert (named.published_from, named.published_to) == (date(2021, 4, 1), date(2021, 4, 30))
    named = named_sources("How many families fled in 2021?", OUTLETS)
    assert named.published_from is None  # a year the question is about, not an article's


def test_a_month_of_publication_after_what_the_piece_is_about_is_found_too() -> None:
    named = named_sources("Can you summarise the piece about the floods from March 2021?", OUTLETS)
    assert (named.published_from, named.published_to) == (date(2021, 3, 1), date(2021, 3, 31))
    assert named.question == "Can you summarise the piece about the floods?"
    # "in" after what a piece is about dates the event, not the piece.
    named = named_sources("Is there a report on the floods in March 2021?", OUTLETS)
    assert named.published_from is None


TITLES = {
    "early.txt": "Floods cut the Sava valley road as river bursts its banks",
    "later.txt": "Sava flood relief stretched as displaced numbers climb",
    "repairs.txt": "Sava valley road to reopen after flood repairs",
}


def test_an_article_is_named_by_its_title_quoted_or_in_the_reader_s_words() -> None:
    for question, source in (
        ("What does the 'Sava flood relief stretched' piece say?", "later.txt"),
        ("Who is quoted in the flood relief story?", "later.txt"),
        ("What did the article about the road reopening say of the farmers?", "repairs.txt"),
        ("Which villages does the report on the river bursting its banks name?", "early.txt"),
    ):
        assert titled_articles(question, TITLES) == (source,), question
    for question in (
        "What does the Sava report say?",  # every title has it
        "Who gave the governor his report?",  # the governor's, not an article's
        "What does the report on the bridges say?",  # no title says it
    ):
        assert titled_articles(question, TITLES) == (), question


def test_sources_set_side_by_side_are_each_named_apart() -> None:
    sides = each_named_source(
        "What do the March 2021 River Times report and the Dana Reed piece each say?", OUTLETS
    )
    assert [(s.names, s.published_from) for s in sides] == [
        (("River Times",), date(2021, 3, 1)),
        (("Dana Reed",), None),
    ]
    assert {s.question for s in sides} == {"What do the report and the piece each say?"}
    sides = each_named_source(
        "How does the River Times report compare with the piece on the road reopening?",
        OUTLETS,
        TITLES,
    )
    assert [(s.names, s.articles) for s in sides] == [
        (("River Times",), ()),
        ((), ("repairs.txt",)),
    ]
    assert sides[0].question == "How does the report compare with the piece?"
    # Two sources that share the plural of their piece: each side names one.
    sides = each_named_source(
        "How do the River Times and the March 2021 reports describe the floods?", OUTLETS
    )
    assert [(s.names, s.published_from) for s in sides] == [
        (("River Times",), None),
        ((), date(2021, 3, 1)),
    ]
    assert sides[0].question == "How do the report and the report describe the floods?"
    # One source, or none: nothing to set side by side.
    assert each_named_source("What do the River Times and the army say?", OUTLETS) == []
    assert each_named_source("Who fought the floods and the fires?", OUTLETS) == []
    farmers = "What did the farmers and the Herald say in their accounts?"
    assert each_named_source(farmers, OUTLETS) == []
