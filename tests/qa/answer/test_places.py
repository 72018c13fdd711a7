import pytest

from qa.answer.places import asks_where, gives_place


@pytest.mark.parametrize(
    "question",
    [
        "Where was the mayor speaking from?",
        "who opened the dam, and where exactly did it break?",
        "so where did the crews go next",
    ],
)
def test_a_question_asking_where_asks_for_a_place(question: str) -> None:
    assert asks_where(question)


@pytest.mark.parametrize(
    "question",
    [
        "where can I read more about the flood?",
        "Where do the articles say the dam broke?",
        "where do things stand with the repairs?",
        "What did the mayor say about the road?",
    ],
)
def test_a_question_after_the_sources_or_the_state_of_things_asks_no_place(
    question: str,
) -> None:
    assert not asks_where(question)


@pytest.mark.parametrize(
    "sentence",
    [
        "The engineer, reporting from Vellor in the hills, said the bridge held.",
        "Crews were working east of the river by noon.",
        "Families took refuge in a school house.",
        "The crews moved into the adjacent Marsk neighbourhood.",
        "In Lisbon on Tuesday, the minister praised the crews.",
    ],
)
def test_a_place_is_told_by_name_compass_or_kind(sentence: str) -> None:
    assert gives_place(sentence, "Where did they go after the flood in Kell?")


@pytest.mark.parametrize(
    "sentence",
    [
        # Only the town the question names, a month, and a people's name as an adjective.
        "Kell is where Mayor Hale declared the emergency in June 2016, ending the league's "
        "days as a force in the Austrian part.",
        "Mayor Hale praised the crews and the volunteers.",
    ],
)
def test_a_text_naming_only_what_the_question_names_tells_no_place(sentence: str) -> None:
    assert not gives_place(sentence, "Where was Mayor Hale hiding during the flood in Kell?")
