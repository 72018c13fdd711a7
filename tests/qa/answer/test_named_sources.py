"""Which articles a question names as its source: an outlet, an author, a month."""

from datetime import date

from qa.answer.named_sources import named_sources

OUTLETS = ["Northern Herald", "River Times", "Dana Reed", "AFP"]


def test_an_outlet_named_as_the_source_is_found_and_its_words_leave_the_question() -> None:
    for question in (
        "How many families were displaced, according to the River Times?",
        "How many families were displaced, per the River Times report?",
        "How many families were displaced by the River Times' count?",
    ):
        named = named_sources(question, OUTLETS)
        assert named.names == ("River Times",), question
    named = named_sources("What does the River Times report say about schools?", OUTLETS)
    assert named.names == ("River Times",)
    assert named.question == "What does the report say about schools?"
    named = named_sources("What did Dana Reed write about the road?", OUTLETS)
    assert named.names == ("Dana Reed",) and named.question.endswith("write about the road?")
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
