"""The extractive answerer on a small article and on the seeds (real model, real store)."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa.answer.extractive import COUNTED
from qa.answer.overview import is_caption, overview_rows
from qa.answer.question import analyse_question
from qa.evaluate import load_questions
from qa.service import QAService
from qa.types import Query, Role, Turn
from tests.helpers import DATA, marker_problems

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


def test_a_name_asked_by_its_initials_is_found_spelled_out(make_service, tmp_path: Path) -> None:
    (tmp_path / "floods.txt").write_text(
        FIXTURE + "The Valley Rescue Service evacuated 40 families from the riverbank.\n"
    )
    service = make_service()
    service.ingest([tmp_path / "floods.txt"], progress=False)
    answer = service.ask("How many families did the VRS evacuate?")
    assert answer.answered and "40 families" in answer.text


def test_a_number_in_the_asked_unit_counts_for_how_far(make_service, tmp_path: Path) -> None:
    service = _seeded(
        make_service, tmp_path, "The water spread 12 kilometres beyond the banks before it stopped."
    )
    counted = _counted(service, "How far did the flood water get?")
    assert counted["The water spread 12 kilometres beyond the banks before it stopped."] == 1.0
    assert counted["Engineers closed the northern road to all traffic."] == 0.0


def test_a_unit_joined_to_its_number_counts_for_how_long(make_service, tmp_path: Path) -> None:
    closure = "The three-week-old closure of the southern bridge ended on Friday."
    service = _seeded(make_service, tmp_path, closure)
    asked = "so how long had the southern bridge been closed?"
    assert "long" not in analyse_question(asked).terms  # what it asks, as in "How long had …"
    counted = _counted(service, asked)
    # "three-week-old": the number's unit is joined to it, not one of the words after it.
    assert counted[closure] == 1.0
    assert counted["Engineers closed the northern road to all traffic."] == 0.0


def test_a_number_standing_for_a_noun_before_it_counts_that_noun(
    make_service, tmp_path: Path
) -> None:
    sandbags = "Volunteers filled sandbags all night; by dawn two thousand were stacked."
    curfew = "A 10-hour curfew was declared on Monday evening."
    service = _seeded(make_service, tmp_path, sandbags, curfew)
    counted = _counted(service, "how many sandbags did the volunteers fill?")
    # "two thousand were stacked": the number counts the sandbags named before it.
    assert counted[sandbags] == 1.0
    assert counted[curfew] == 0.0
    # ... and a duration counts in hours as in years.
    assert _counted(service, "How long was the curfew?")[curfew] == 1.0


def test_a_number_of_people_counts_the_residents_asked_for(make_service, tmp_path: Path) -> None:
    fled = "By Tuesday 3,000 people had left the valley for the town."
    service = _seeded(make_service, tmp_path, fled)
    counted = _counted(service, "How many residents had left the valley by Tuesday?")
    # News counts the people of a place as "people"; the word vectors hold the two apart.
    assert counted[fled] == 1.0
    assert counted["Engineers closed the northern road to all traffic."] == 0.0
    # ... but not some of them: how many children left is not told by how many people did.
    assert _counted(service, "How many children had left the valley by Tuesday?")[fled] == 0.0


def _seeded(make_service, tmp_path: Path, *sentences: str) -> QAService:
    """A service holding the fixture article with these sentences added."""
    (tmp_path / "floods.txt").write_text(FIXTURE + "".join(f"{s}\n" for s in sentences))
    service = make_service()
    service.ingest([tmp_path / "floods.txt"], progress=False)
    return service


def test_a_how_many_question_is_not_answered_by_a_number_of_something_else(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "Looters broke into two shops in the market square during the night.",
        "Volunteers filled sandbags all night; by dawn two thousand were stacked.",
    )
    # The sentence names the night and the market, but its number counts shops.
    answer = service.ask("How many people were killed when looters broke into the market?")
    assert not answer.answered
    counted = service.ask("How many shops did the looters break into in the market?")
    assert counted.answered and "two shops" in counted.text


def test_a_toll_of_the_dead_does_not_answer_how_many_were_wounded(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "A wall of water swept through the riverside camp, killing at least 12 campers.",
    )
    # The sentence counts the campers and names the camp, but it gives the dead only.
    assert not service.ask("How many campers were injured at the riverside camp?").answered
    dead = service.ask("How many campers died at the riverside camp?")
    assert dead.answered and "12 campers" in dead.text


@pytest.mark.parametrize(
    ("sentences", "unnamed", "named", "name"),
    [
        (
            # The League's spokesman is not named anywhere.
            (
                'A spokesman for the Drava Rescue League told Radio Drava: "Sometimes our '
                'boats go out twice a night."',
                "Lena Orsk, a spokeswoman for the river patrol, said the ferry would run again.",
            ),
            "What's the name of the Drava Rescue League spokesman who told Radio Drava?",
            "What's the name of the river patrol spokeswoman?",
            "Lena Orsk",
        ),
        (
            # The attack's sentence holds the question's words but names no crossing.
            (
                "Gunmen attacked a border crossing near Lenmar on Friday, killing four guards.",
                "The relief convoy waited at a second crossing, known as ‘Kell Gate’, until dawn.",
            ),
            "What's the name of the border crossing near Lenmar where the guards were killed?",
            "What was the name of the crossing where the relief convoy waited?",
            "Kell Gate",
        ),
    ],
)
def test_the_name_asked_for_is_answered_only_by_a_sentence_giving_it(
    make_service, tmp_path: Path, sentences: tuple[str, ...], unnamed: str, named: str, name: str
) -> None:
    service = _seeded(make_service, tmp_path, *sentences)
    assert not service.ask(unnamed).answered
    answer = service.ask(named)
    assert answer.answered and name in answer.text


def test_a_count_of_one_country_s_people_does_not_answer_for_another_s(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "A German engineer inspected the dam on Tuesday.",
        "Volunteers filled sandbags all night.",
        "Rescuers pulled 30 Dutch tourists from the flooded campsite.",
    )
    # The article names Germany, but the 30 it counts are Dutch.
    assert not service.ask("How many German tourists were pulled from the campsite?").answered
    rescued = service.ask("How many tourists from the Netherlands were pulled from the campsite?")
    assert rescued.answered and "30 Dutch tourists" in rescued.text


def test_when_is_not_answered_by_the_article_date_of_a_sentence_that_says_nothing_of_when(
    tmp_path: Path, make_service
) -> None:
    (tmp_path / "relief.txt").write_text(
        "Relief chief takes over as flood waters fall\n\nBy Ivo Marek, 9 March 2021\n\n"
        "Mara Voss, head of the regional relief agency, toured the flooded villages.\n\n"
        "The regional governor's office reopened the ferry crossing at Drava this morning.\n"
    )
    service = make_service()
    service.ingest([tmp_path / "relief.txt"], progress=False)
    # The article's date is when it was written, not when she took up the post.
    assert not service.ask("When did Mara Voss become head of the regional relief agency?").answered
    # "this morning" is told from the day of writing: the article's date says when.
    reopened = service.ask("When did the governor's office reopen the ferry crossing at Drava?")
    assert reopened.answered and "this morning" in reopened.text
    assert "9 March 2021" in reopened.text


def test_a_follow_up_asking_a_fact_is_not_answered_by_restating_the_exchange_before_it(
    tmp_path: Path, make_service
) -> None:
    camp = "The Marl relief camp was set up beside the old church after the river rose."
    service = _seeded(
        make_service, tmp_path, camp, "Forty families were staying in the camp by Friday."
    )
    history = (
        Turn(Role.USER, "What is the Marl relief camp?"),
        Turn(Role.ASSISTANT, "A relief camp set up beside the old church after the river rose."),
    )
    # The camp's sentence holds a name ("Marl"), but the exchange has given it already.
    assert not service.ask("who was it named after?", history).answered
    counted = service.ask("how many families were staying there?", history)
    assert counted.answered and "Forty families" in counted.text


def test_a_follow_up_asks_for_a_fact_the_exchange_before_it_has_not_given(
    tmp_path: Path, make_service
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "Ruth Calder, the county engineer, said the bridge would reopen in May.",
    )
    asked = Turn(Role.USER, "Who said the bridge would reopen?")
    # The sentence names her again, and says more besides, but not what is asked next.
    told = (asked, Turn(Role.ASSISTANT, "Ruth Calder said so."))
    assert not service.ask("whats her full name?", told).answered
    untold = (asked, Turn(Role.ASSISTANT, "An engineer said so."))
    named = service.ask("whats her full name?", untold)
    assert named.answered and "Ruth Calder" in named.text


def _counted(service: QAService, asked: str) -> dict[str, float]:
    """Each retrieved sentence's ``counted`` feature for the question."""
    question = analyse_question(asked)
    retrieval = service.retriever.retrieve(Query(question.retrieval_query), 5)
    return {
        e.sentence: e.features[COUNTED]
        for e in service.extractive.scorer.score(question, retrieval)
    }


def test_the_sentence_going_on_from_the_best_is_quoted_with_it(
    make_service, tmp_path: Path
) -> None:
    (tmp_path / "floods.txt").write_text(
        FIXTURE
        + "Rescue boats reached the flooded village of Marl on Tuesday morning.\n"
        + "They found forty families sheltering in the church tower.\n"
    )
    service = make_service()
    service.ingest([tmp_path / "floods.txt"], progress=False)
    answer = service.ask("What did the rescue boats come across when they got to Marl?")
    assert answer.answered and "reached the flooded village of Marl" in answer.text
    assert "forty families sheltering" in answer.text


def test_a_quote_goes_on_into_the_next_passage_and_is_quoted_with_it(
    make_service, tmp_path: Path
) -> None:
    said = "The flood commander, Captain Lena Ortiz, said the eastern dykes had held overnight."
    went_on = '"Send every pump you can spare," she said.'
    (tmp_path / "floods.txt").write_text(FIXTURE + f"{said}\n{went_on}\n")
    service = make_service(chunk_words=20)  # short passages: the two sentences in two
    service.ingest([tmp_path / "floods.txt"], progress=False)
    passages = service.search("flood commander Lena Ortiz eastern dykes pump spare").passages
    assert not any(said in p.text and went_on in p.text for p in passages)
    answer = service.ask("What did the flood commander say about the eastern dykes?")
    assert answer.answered and said in answer.text
    assert went_on in answer.text
    assert not marker_problems(answer.text, answer.citations)
    assert any(went_on in c.passage.text for c in answer.citations)  # cited where it stands


def test_a_claim_is_quoted_with_the_sentence_that_qualifies_it(
    make_service, tmp_path: Path
) -> None:
    claim = "Residents posted online that the northern road had fully reopened on Tuesday."
    qualified = "However, nobody official has said so yet."
    service = _seeded(
        make_service,
        tmp_path,
        claim,
        qualified,
        "Trucks queued at the northern road barrier for hours on Tuesday.",
        "A full reopening of the northern road was planned for the spring.",
    )
    answer = service.ask("Has the northern road fully reopened?")
    assert answer.answered and claim in answer.text
    assert qualified in answer.text


def test_the_same_question_gets_the_same_answer(seeded_service) -> None:
    question = "How many ISIS militants were left in Mosul according to Colonel Dorrian?"
    first, second = seeded_service.ask(question), seeded_service.ask(question)
    assert first.text == second.text
    assert "fewer than 1,000" in first.text
    assert first.citations[0].passage.source == "000_8ae4ba73e080a6d3.txt"


def test_every_marker_has_its_citation_on_every_dev_question(seeded_service) -> None:
    for q in load_questions(DATA / "team.jsonl"):
        answer = seeded_service.ask(q.question, q.history)
        assert marker_problems(answer.text, answer.citations) == [], q.id
        for citation in answer.citations:
            for sentence in citation.cited_sentences:
                assert sentence in citation.passage.text


def test_the_first_stages_best_sentences_are_read_again_and_stay_on_top(seeded_service) -> None:
    extractive = seeded_service.extractive
    scorer = extractive.scorer
    stage = scorer.model.rerank
    assert stage is not None and scorer.matcher is not None
    question = analyse_question("Who retook the airport in west Mosul?")
    retrieval = seeded_service.retriever.retrieve(extractive.retrieval_query(question.text, ()), 8)
    evidence = scorer.score(question, retrieval)
    reread = [e for e in evidence if e.match is not None]
    assert evidence[: len(reread)] == reread
    assert all(e.score <= reread[-1].score for e in evidence[len(reread) :])
    assert "Rapid Response" in " ".join(e.sentence for e in reread)
    # Read again: the first stage's top (as packaged); with a ``read_share``, its best
    # two and the others of its top that it found at least that share as probable as
    # its best, here not all of them.
    first = scorer.model.probabilities(np.asarray([e.features for e in evidence]))
    ranked = sorted(range(len(evidence)), key=lambda i: (-first[i], evidence[i].rank))
    top = [evidence[i].sentence for i in ranked[: stage.top]]
    assert sorted(top) == sorted(e.sentence for e in reread)
    half = replace(scorer.model, rerank=replace(stage, read_share=0.5))
    near = [
        evidence[i].sentence
        for n, i in enumerate(ranked[: stage.top])
        if n < 2 or first[i] >= 0.5 * first[ranked[0]]
    ]
    read_near = [
        e.sentence
        for e in scorer.with_model(half).score(question, retrieval)
        if e.match is not None
    ]
    assert sorted(near) == sorted(read_near) and 2 <= len(near) < stage.top
    # The others stay in the first stage's order, below those read: none is flattened
    # onto the least of those read (an overview picks among them by their order).
    question = analyse_question(
        "What was discussed when coalition defence ministers gathered in Paris?"
    )
    retrieval = seeded_service.retriever.retrieve(extractive.retrieval_query(question.text, ()), 8)
    evidence = scorer.score(question, retrieval)
    first = scorer.model.probabilities(np.asarray([e.features for e in evidence]))
    read = sum(e.match is not None for e in evidence)
    unread = [float(first[i]) for i in range(read, len(evidence))]
    assert unread == sorted(unread, reverse=True)
    floor = evidence[read - 1].score
    assert all(e.score <= floor for e in evidence[read:])
    assert sum(e.score == floor for e in evidence[read:]) <= 1
    assert read == stage.top


def test_an_overview_draws_on_more_passages_than_a_fact(seeded_service) -> None:
    settings = seeded_service.settings
    overview = seeded_service.ask("Give me an overview of the fight for Mosul", quote=True)
    fact = seeded_service.ask("How far is Mosul from Baghdad?", quote=True)
    assert len(overview.passages) == settings.overview_top_k > settings.top_k
    assert len(fact.passages) == settings.top_k


def _overview_evidence(service):  # type: ignore[no-untyped-def]
    """An overview question and its scored evidence on the seeds."""
    question = analyse_question("Give me an overview of the fight for Mosul")
    retrieval = service.retriever.retrieve(Query(question.retrieval_query), 10)
    return question, service.extractive.scorer.score(question, retrieval)


def _one_sentence_overview(  # type: ignore[no-untyped-def]
    service, monkeypatch, question, first, second
):
    """The sentence a one-sentence overview picks of two made equally probable and
    rated as saying as much of what is asked, listed in this order."""
    monkeypatch.setattr("qa.answer.overview.OVERVIEW_SENTENCES", 1)
    monkeypatch.setattr(
        "qa.answer.overview._relevance", lambda pool, best, stage: np.full(len(pool), 0.4)
    )
    even = [replace(e, score=0.5) for e in (first, second)]
    return [q.sentence for q in service.extractive.overview_quotes(question, even)]


def test_an_overview_picks_the_sentence_with_more_of_the_question_and_more_names(
    seeded_service, monkeypatch
) -> None:
    # Two sentences as probable as each other and as high up their articles: the one
    # that holds more of the question's words and names more people, places and units
    # says more of what an overview is asked (the overview model, fitted on calibration
    # overviews), and a one-sentence overview picks it, whichever is listed first.
    monkeypatch.setattr("qa.answer.overview.OVERVIEW_SENTENCES", 1)
    question, scored = _overview_evidence(seeded_service)
    assert seeded_service.extractive.scorer.model.overview is not None
    rows = {e.sentence: overview_rows([e], 1.0)[0] for e in scored}
    pairs = [
        (a, b)
        for a in scored
        for b in scored
        if a.passage.source != b.passage.source
        and a.passage.ordinal == b.passage.ordinal
        and rows[a.sentence][1] > rows[b.sentence][1]  # more of the question's words
        and rows[a.sentence][2] > rows[b.sentence][2]  # and more names
    ]
    assert pairs
    richer, poorer = (replace(e, score=0.5) for e in pairs[0])
    for listed in ([richer, poorer], [poorer, richer]):
        picked = seeded_service.extractive.overview_quotes(question, listed)
        assert [q.sentence for q in picked] == [richer.sentence]


def test_an_overview_prefers_a_sentence_from_higher_up_its_article(
    seeded_service, monkeypatch
) -> None:
    # Two sentences as probable as each other, the later one first: the one from the
    # article's first passage (news sums the story up first) is the one a one-sentence
    # overview picks.
    question, scored = _overview_evidence(seeded_service)
    lead = next(e for e in scored if e.passage.ordinal == 0)
    later = next(e for e in scored if e.passage.ordinal >= 3)
    picked = _one_sentence_overview(seeded_service, monkeypatch, question, later, lead)
    assert picked == [lead.sentence]


def test_an_overview_of_one_article_prefers_its_earlier_sentence_in_the_same_passage(
    seeded_service, monkeypatch
) -> None:
    # All evidence from one article: its opening sentences are its summary, so of two
    # equally probable sentences of one passage the earlier one is picked.
    question, scored = _overview_evidence(seeded_service)
    first = scored[0]
    same_passage = [e for e in scored if e.passage.chunk_id == first.passage.chunk_id]
    early, late = sorted(same_passage, key=lambda e: first.passage.text.find(e.sentence))[:2]
    picked = _one_sentence_overview(seeded_service, monkeypatch, question, late, early)
    assert picked == [early.sentence]


def test_an_overview_does_not_quote_a_photo_caption(make_service, tmp_path: Path) -> None:
    caption = "Floods cover the valley as the river rises near Vellor, Croatia, March 4, 2024."
    title, _, body = FIXTURE.partition("\n\n")
    (tmp_path / "floods.txt").write_text(f"{title}\n\n{caption}\n\n{body}")
    service = make_service()
    service.ingest([tmp_path / "floods.txt"], progress=False)
    answer = service.ask("Give me an overview of the floods in the valley", quote=True)
    assert answer.answered and "river level climbed" in answer.text
    assert "Vellor" not in answer.text


def test_captions_end_on_a_photo_credit_or_on_a_place_and_date() -> None:
    assert is_caption("Troops advance near Mosul, Iraq October 24, 2016 (Photo: Reuters)")
    assert is_caption("Smoke rises over the old city (AFP photo)")
    assert is_caption("Members of the army at a frontline in Mosul, Iraq, May 5, 2017.")
    assert not is_caption("Troops entered the city on May 5, 2017.")
    assert not is_caption("He spoke in Mosul, Iraq, on May 5, 2017.")
    assert not is_caption("The photo (taken by a resident) shows the bridge.")


def test_a_name_given_where_the_asked_noun_stands_answers_at_a_lower_bar(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        '"The water is still rising," their coordinator, Mara Voss, told Radio Drava.',
        '"We must move the sandbags before dark," she said, speaking from the hill town of Vellor.',
        "The relief agency coordinates volunteers in every town along the river.",
        "Radio Drava broadcast warnings from the town hall every hour.",
    )
    # Few of the question's words are in the answering sentence, but it names the town
    # where "town" stands ("the hill town of Vellor").
    town = service.ask("From which hill town was the agency's coordinator speaking to the station?")
    assert town.answered and "hill town of Vellor" in town.text
    # No village is named: the same words do not answer.
    village = "From which hill village was the agency's coordinator speaking to the station?"
    assert not service.ask(village).answered


def test_a_name_given_for_one_role_does_not_answer_for_another(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "Lena Orsk, spokeswoman for the Drava Rescue League, said its boats had reached "
        "every flooded street by nightfall.",
    )
    # The sentence names the League and someone speaking for it, not who leads it.
    assert not service.ask("Who is the leader of the Drava Rescue League?").answered
    spoke = service.ask("Who is the spokeswoman for the Drava Rescue League?")
    assert spoke.answered and "Lena Orsk" in spoke.text


def test_what_was_agreed_is_not_answered_by_a_sentence_saying_only_that_they_met(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "The valley's mayors met in Kell on Monday to review the flood defences.",
    )
    assert not service.ask("What did the valley's mayors agree at their meeting in Kell?").answered
    agreed = _seeded(
        make_service,
        tmp_path,
        "The valley's mayors met in Kell on Monday and agreed to share their rescue boats.",
    )
    answer = agreed.ask("What did the valley's mayors agree at their meeting in Kell?")
    assert answer.answered and "share their rescue boats" in answer.text


def test_why_someone_withdrew_is_not_answered_by_a_sentence_saying_they_were_there(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service, tmp_path, "The Kell rescue league worked the flooded bridge all night."
    )
    assert not service.ask("Why did the Kell rescue league pull out of the bridge?").answered


def test_a_sentence_the_language_model_vouches_for_must_still_fill_the_asked_slot(
    seeded_service: QAService,
) -> None:
    scorer = seeded_service.extractive.scorer

    def vouched(text: str) -> tuple[str | None, str | None]:
        question = analyse_question(text)
        evidence = scorer.score(question, seeded_service.search(text))
        best = scorer.best_supported(question, evidence, vouched=True)
        plain = scorer.best_supported(question, evidence)
        return (best and best.sentence, plain and plain.sentence)

    # A title and a surname give no first name, whatever the model says of them.
    best, _ = vouched("What was the first name of the colonel who spoke to Rudaw?")
    assert best is None
    # The model's word is still taken over the probability, which judges by words.
    best, plain = vouched(
        "Which Kurdish outlet did the American colonel talk to about the militants left?"
    )
    assert plain is None and best is not None and "Rudaw" in best


def test_a_where_question_is_not_answered_by_a_sentence_telling_no_place(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "Mayor Tom Hale stayed with the flood crews during the storm, his office said.",
    )
    # The sentence names the mayor and the storm, not where he stayed.
    assert not service.ask("Where did Mayor Tom Hale stay during the storm?").answered
    placed = _seeded(
        make_service,
        tmp_path,
        "Mayor Tom Hale stayed at the fire station in Vellor during the storm.",
    )
    answer = placed.ask("Where did Mayor Tom Hale stay during the storm?")
    assert answer.answered and "Vellor" in answer.text


def test_what_someone_said_is_not_answered_by_the_words_of_another(
    make_service, tmp_path: Path
) -> None:
    question = "What did Governor Ana Pell say about the mayor's plan to reopen the northern road?"
    service = _seeded(
        make_service,
        tmp_path,
        "Mayor Tom Hale said his plan would reopen the northern road within a week.",
        "Governor Ana Pell toured the valley on Tuesday.",
    )
    # Every word of the question but the governor's name is in the mayor's words.
    assert not service.ask(question).answered
    spoke = _seeded(
        make_service,
        tmp_path,
        "Governor Ana Pell said the mayor's plan to reopen the northern road was too hasty.",
    )
    answer = spoke.ask(question)
    assert answer.answered and "too hasty" in answer.text


def test_whether_someone_was_killed_is_not_answered_by_a_passage_silent_on_it(
    make_service, tmp_path: Path
) -> None:
    question = "Was Mayor Tom Hale killed in the fight against the flood in Kell?"
    service = _seeded(
        make_service,
        tmp_path,
        "Mayor Tom Hale led the fight against the flood in Kell until the river fell.",
    )
    # The sentence holds every word of the question but the one asked about.
    assert not service.ask(question).answered
    died = _seeded(
        make_service,
        tmp_path,
        "Mayor Tom Hale died in the fight against the flood in Kell, his office said.",
    )
    answer = died.ask(question)
    assert answer.answered and "died" in answer.text


def test_who_someone_is_is_told_by_the_sentence_giving_their_title(
    make_service, tmp_path: Path
) -> None:
    service = _seeded(
        make_service,
        tmp_path,
        "In her statement, Ana Pell stressed that no crews would leave the valley.",
    )
    (tmp_path / "visit.txt").write_text(
        "Governor tours the valley\n\nBy Sam Orr\n\nGovernor Ana Pell announced that army "
        "helicopters dropped sandbags on the eastern side of the river, in the Vellor and "
        "Drava areas, Radio Sava and two local papers reported on Tuesday evening.\n"
    )
    service.ingest([tmp_path / "visit.txt"], progress=False)
    # Both articles name her, the first more probably; only the second says who she is.
    answer = service.ask("who's ana pell?")
    assert answer.answered and "Governor Ana Pell" in answer.text
