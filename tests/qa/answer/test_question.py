"""What a question asks for: its answer type, its terms and the turns it leans on."""

from qa.answer.evidence import holds_answer_type
from qa.answer.question import AnswerType, analyse_question, expected_answer_type
from qa.types import Role, Turn


def test_question_words_set_the_expected_answer_type() -> None:
    assert expected_answer_type("How many fighters were killed?") is AnswerType.NUMBER
    assert expected_answer_type("How much did the offensive cost?") is AnswerType.MONEY
    assert expected_answer_type("When was the city taken?") is AnswerType.DATE
    assert expected_answer_type("Who leads the SDF?") is AnswerType.NAME
    assert expected_answer_type("Which defence minister hosted them?") is AnswerType.NAME
    assert expected_answer_type("Which group leads the SDF?") is AnswerType.ANY


def test_a_sentence_must_hold_a_new_fact_of_the_asked_type() -> None:
    q = "How many PMU fighters were killed?"
    assert holds_answer_type("Five PMU fighters were allegedly killed.", AnswerType.NUMBER, q)
    assert not holds_answer_type("PMU fighters were killed.", AnswerType.NUMBER, q)
    assert not holds_answer_type("It cost 400 lives.", AnswerType.MONEY, "How much did it cost?")
    assert holds_answer_type("It cost $4 billion.", AnswerType.MONEY, "How much did it cost?")


def test_a_follow_up_borrows_terms_from_the_previous_turn_at_lower_weight() -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    question = analyse_question("Which militia does he speak for?", history)
    assert question.terms["speak"] == 1.0
    assert question.terms["tulaibawi"] < 1.0
    assert "Tulaibawi" in question.retrieval_query


def test_the_noun_after_which_weighs_less_because_the_answer_names_one() -> None:
    question = analyse_question("Which river did Iraqi forces reach?")
    assert question.terms["river"] < question.terms["reach"] == 1.0


def test_a_standalone_question_ignores_history() -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    question = analyse_question("How many people fled Mosul to the camps?", history)
    assert "tulaibawi" not in question.terms
