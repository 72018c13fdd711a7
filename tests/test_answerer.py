"""The extractive answerer and citation markers, on small fixtures and on the seeds."""

from pathlib import Path

from qa.answer.evidence import holds_answer_type
from qa.answer.question import AnswerType, analyse_question, expected_answer_type
from qa.cite.markers import check_markers, cite_sentences
from qa.types import Citation, Passage, Role, Turn


def _passage(chunk_id: str, text: str = "text") -> Passage:
    return Passage(chunk_id, f"{chunk_id}.txt", text, "Title", None, None, None)


def test_passages_are_numbered_by_first_use_and_each_sentence_is_marked() -> None:
    a, b = _passage("a"), _passage("b")
    text, citations = cite_sentences([("One.", a), ("Two.", b), ("Three.", a)])
    assert text == "One. [1] Two. [2] Three. [1]"
    assert [(c.n, c.passage.chunk_id, c.cited_sentences) for c in citations] == [
        (1, "a", ("One.", "Three.")),
        (2, "b", ("Two.",)),
    ]
    assert check_markers(text, citations) == []


def test_marker_check_finds_missing_and_unused_citations() -> None:
    citations = [Citation(1, _passage("a")), Citation(2, _passage("b"))]
    assert check_markers("Claim. [1] Other claim. [3]", citations) == [
        "[3] has no citation",
        "citation 2 is not used",
    ]


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


def test_irregular_verb_forms_match_their_base_form() -> None:
    from qa.answer.question import content_terms

    assert content_terms("the SDF, led by the YPG") == content_terms("the SDF, lead by the YPG")


def test_a_standalone_question_ignores_history() -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    question = analyse_question("How many people fled Mosul to the camps?", history)
    assert "tulaibawi" not in question.terms


FIXTURE = """Floods cut the northern road

By Dana Reed

Heavy rain flooded the valley on Monday. The river level climbed four metres in a single night.
Engineers closed the northern road to all traffic. Mayor Tom Hale said repairs would take two weeks.
"""


def test_the_answerer_quotes_and_cites_the_sentence_that_answers(
    make_service, tmp_path: Path
) -> None:
    (tmp_path / "floods.txt").write_text(FIXTURE)
    service = make_service()
    service.ingest([tmp_path / "floods.txt"], progress=False)
    answer = service.ask("How many metres did the river level climb in a single night?")
    assert answer.answered
    assert "four metres" in answer.text and answer.text.endswith("[1]")
    assert answer.citations[0].passage.source == "floods.txt"
    assert "four metres" in answer.citations[0].passage.text


def test_the_answerer_abstains_when_the_articles_are_silent(make_service, tmp_path: Path) -> None:
    (tmp_path / "floods.txt").write_text(FIXTURE)
    service = make_service()
    service.ingest([tmp_path / "floods.txt"], progress=False)
    answer = service.ask("What is the capital of Australia?")
    assert not answer.answered and answer.citations == ()
    assert "don't say" in answer.text


def test_the_same_question_gets_the_same_answer(seeded_service) -> None:
    question = "How many ISIS militants were left in Mosul according to Colonel Dorrian?"
    first, second = seeded_service.ask(question), seeded_service.ask(question)
    assert first.text == second.text
    assert "fewer than 1,000" in first.text
    assert first.citations[0].passage.source == "000_8ae4ba73e080a6d3.txt"


def test_every_marker_has_its_citation_on_every_dev_question(seeded_service) -> None:
    from qa.evaluate import load_questions
    from tests.conftest import DATA

    for q in load_questions(DATA / "heldout.jsonl"):
        answer = seeded_service.ask(q.question, q.history)
        assert check_markers(answer.text, answer.citations) == [], q.id
        for citation in answer.citations:
            for sentence in citation.cited_sentences:
                assert sentence in citation.passage.text
