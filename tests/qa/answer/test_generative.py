"""The generative answerer's handling of model output, with scripted replies (no model).

The model's reply is crafted here so each case is exact: a right answer, a wrong or
missing marker, an invented number, an obeyed injection, a failure, a timeout. The real
model runs end to end in tests/test_local_llm.py.
"""

from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

from qa.answer.base import ABSTENTION_MESSAGE
from qa.answer.chat import ChatModelError, PromptMessage
from qa.answer.extractive import ExtractiveAnswerer
from qa.answer.generative import GenerativeAnswerer
from qa.answer.prompts import OVERVIEW_REQUEST, PARTS_REQUEST, select_sources
from qa.answer.question import analyse_question
from qa.cite.verify import PromptSource
from qa.service import QAService
from qa.settings import AnswerMode
from qa.types import Answer, Role, Token, Turn
from tests.helpers import DATA, SEEDS, generative

QUESTION = "How many ISIS militants were left in Mosul according to Colonel Dorrian?"


class ScriptedChat:
    """Replies with the given text, a few characters at a time, then maybe fails."""

    name = "scripted"

    def __init__(
        self, *replies: str | None, fail: str | None = None, yes: float | None = 1.0
    ) -> None:
        self.replies = list(replies)  # None: that call fails
        self.fail = fail
        self.yes = yes  # the answer to "do the sources answer?"; None: that call fails
        self.calls: list[list[PromptMessage]] = []
        self.judged: list[list[PromptMessage]] = []

    def judge(self, messages: Sequence[PromptMessage]) -> float:
        self.judged.append(list(messages))
        if self.yes is None:
            raise ChatModelError("down")
        return self.yes

    def stream(self, messages: Sequence[PromptMessage], max_tokens: int) -> Iterator[str]:
        self.calls.append(list(messages))
        reply = self.replies.pop(0) if self.replies else ""
        if reply is None:
            raise ChatModelError("down")
        for i in range(0, len(reply), 3):
            yield reply[i : i + 3]
        if self.fail:
            raise ChatModelError(self.fail)


def _answer(service: QAService, model: ScriptedChat, question: str = QUESTION, history=()):  # type: ignore[no-untyped-def]
    answerer = generative(service, model)
    query = answerer.retrieval_query(question, history)
    retrieval = service.retriever.retrieve(query, 5)
    events = list(answerer.stream(question, history, retrieval))
    assert isinstance(events[-1], Answer)
    tokens = [e.text for e in events[:-1] if isinstance(e, Token)]
    return events[-1], tokens


def test_a_supported_answer_is_streamed_as_generated(seeded_service: QAService) -> None:
    model = ScriptedChat(
        "Colonel Dorrian said fewer than 1,000 ISIS militants were left in Mosul [1]."
    )
    answer, tokens = _answer(seeded_service, model)
    assert answer.origin == "generated" and answer.answered and answer.dropped == 0
    assert (
        answer.text
        == "Colonel Dorrian said fewer than 1,000 ISIS militants were left in Mosul. [1]"
    )
    assert "".join(tokens) == answer.text
    assert answer.citations[0].passage.source == "000_8ae4ba73e080a6d3.txt"
    assert "fewer than 1,000" in answer.citations[0].cited_sentences[0]


def test_the_model_sees_numbered_sources_and_a_system_message(seeded_service: QAService) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [1].")
    _answer(seeded_service, model)
    system, user = model.calls[0]
    assert system["role"] == "system" and "not instructions" in system["content"]
    assert user["content"].startswith("Sources:\n[1] ") and user["content"].endswith(QUESTION)


def test_the_model_is_asked_whether_the_sources_answer_before_it_writes(
    seeded_service: QAService,
) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [1].")
    _answer(seeded_service, model)
    (judged,) = model.judged
    (written,) = model.calls
    assert judged[0] == written[0]  # the same system message and sources: a shared prefix
    assert judged[1]["content"].startswith(written[1]["content"])
    assert judged[1]["content"].endswith("Reply yes or no.")


def test_when_the_model_says_the_sources_do_not_answer_it_abstains_without_writing(
    seeded_service: QAService,
) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [1].", yes=0.1)
    answer, _ = _answer(seeded_service, model)
    assert not answer.answered and answer.text == ABSTENTION_MESSAGE and not answer.citations
    assert model.calls == []  # nothing was written
    assert answer.nearest and "1,000" in answer.nearest[0].cited_sentences[0]
    assert all(s in c.passage.text for c in answer.nearest for s in c.cited_sentences)


def test_a_lukewarm_yes_is_heeded_where_the_evidence_backs_it(seeded_service: QAService) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [1].", yes=0.5)
    answerer = generative(seeded_service, model)
    sure = replace(
        answerer.scorer.model, judge_threshold=0.9, judge_backed_threshold=0.3, judge_backing=0.0
    )
    retrieval = seeded_service.retriever.retrieve(answerer.retrieval_query(QUESTION, ()), 5)
    for backing, written in ((0.0, True), (1.01, False)):
        answerer.scorer = answerer.scorer.with_model(replace(sure, judge_backing=backing))
        answer = list(answerer.stream(QUESTION, (), retrieval))[-1]
        assert isinstance(answer, Answer) and answer.answered == written
        assert (answer.origin == "generated") == written


def test_a_model_fitted_as_unable_to_judge_is_not_asked(seeded_service: QAService) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [1].", yes=0.0)
    answerer = generative(seeded_service, model)
    answerer.scorer = answerer.scorer.with_model(replace(answerer.scorer.model, judge_threshold=0))
    retrieval = seeded_service.retriever.retrieve(answerer.retrieval_query(QUESTION, ()), 5)
    answer = list(answerer.stream(QUESTION, (), retrieval))[-1]
    assert isinstance(answer, Answer) and answer.origin == "generated"
    assert model.judged == [] and model.calls


def test_a_model_that_fails_to_judge_leaves_the_quoted_answer(seeded_service: QAService) -> None:
    model = ScriptedChat("unused", yes=None)
    answer, _ = _answer(seeded_service, model)
    assert answer.origin == "extractive" and answer.answered and "fewer than 1,000" in answer.text
    assert answer.notice and "language model failed" in answer.notice
    assert model.calls == []


def test_an_answer_that_never_gives_the_asked_number_is_replaced_by_the_quote(
    seeded_service: QAService,
) -> None:
    model = ScriptedChat(
        "Colonel Dorrian gave an estimate of the ISIS militants left in Mosul [1]."
    )
    answer, tokens = _answer(seeded_service, model)
    assert answer.origin == "extractive" and "fewer than 1,000" in answer.text
    assert "gave no number" in (answer.notice or "")
    assert "gave an estimate" not in "".join(tokens)  # nothing of it was streamed first


def test_an_invented_sentence_is_dropped_and_counted(seeded_service: QAService) -> None:
    model = ScriptedChat(
        "Fewer than 1,000 ISIS militants were left in Mosul [1]. "
        "Another 4,500 fighters arrived from Raqqa in June [1]."
    )
    answer, tokens = _answer(seeded_service, model)
    assert answer.origin == "generated" and answer.dropped == 1
    assert "4,500" not in answer.text and "4,500" not in "".join(tokens)


def test_a_sentence_written_again_is_shown_once(seeded_service: QAService) -> None:
    model = ScriptedChat(
        "Fewer than 1,000 ISIS militants were left in Mosul [1]. "
        "Fewer than 1,000 ISIS  militants were left in Mosul [2]."
    )
    answer, tokens = _answer(seeded_service, model)
    assert answer.origin == "generated" and answer.dropped == 0
    assert answer.text.count("Fewer than 1,000") == 1 and "".join(tokens) == answer.text


def test_markers_are_renumbered_by_first_use_and_wrong_ones_fixed(
    seeded_service: QAService,
) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [4].")
    answer, _ = _answer(seeded_service, model)
    assert answer.text.endswith("[1]") and [c.n for c in answer.citations] == [1]
    assert "fewer than 1,000" in answer.citations[0].passage.text


def test_no_half_written_marker_is_ever_streamed(seeded_service: QAService) -> None:
    model = ScriptedChat("Fewer than 1,000 ISIS militants were left in Mosul [1]. They hid [1")
    _, tokens = _answer(seeded_service, model)
    for token in tokens:
        assert token.count("[") == token.count("]")


def test_when_nothing_generated_holds_up_the_extractive_answer_is_given(
    seeded_service: QAService,
) -> None:
    model = ScriptedChat("I have been pwned. Mosul has 42 bridges [1].")
    answer, tokens = _answer(seeded_service, model)
    assert answer.origin == "extractive" and answer.dropped == 2
    assert "fewer than 1,000" in answer.text and "pwned" not in "".join(tokens)
    assert answer.notice and "could be verified" in answer.notice


def test_a_model_failure_falls_back_to_the_extractive_answer(seeded_service: QAService) -> None:
    answer, _ = _answer(seeded_service, ScriptedChat("", fail="timed out after 60 s"))
    assert answer.origin == "extractive" and "fewer than 1,000" in answer.text
    assert answer.notice and "timed out" in answer.notice


def test_a_failure_midway_keeps_the_verified_sentences(seeded_service: QAService) -> None:
    model = ScriptedChat(
        "Fewer than 1,000 ISIS militants were left in Mosul [1]. More were", fail="timed out"
    )
    answer, _ = _answer(seeded_service, model)
    assert answer.origin == "generated" and answer.text.endswith("[1]")
    assert answer.notice and "stops early" in answer.notice


def test_an_unanswerable_question_abstains_without_calling_the_model(
    seeded_service: QAService,
) -> None:
    model = ScriptedChat("Canberra is the capital of Australia [1].")
    answer, _ = _answer(seeded_service, model, "What is the capital of Australia?")
    assert not answer.answered and answer.text == ABSTENTION_MESSAGE and model.calls == []


def test_a_count_of_the_wounded_where_only_the_dead_are_counted_is_not_put_to_the_model(
    seeded_service: QAService,
) -> None:
    # The seeds give how many guards an attack near Jordan killed, never how many it
    # wounded: a model shown that toll writes it as the wounded, and the number is cited.
    model = ScriptedChat("At least 15 border guards were injured in the attack [1].")
    question = "How many guards were injured when the border post near Jordan was attacked?"
    answer, _ = _answer(seeded_service, model, question)
    assert not answer.answered and model.calls == [] and model.judged == []


def test_a_name_given_for_another_role_is_not_put_to_the_model(
    make_service,  # type: ignore[no-untyped-def]
    tmp_path,
) -> None:
    # The article names the league's spokesman, never its leader: a model shown him
    # writes him as the leader, and every word of that is in the cited sentence.
    (tmp_path / "league.txt").write_text(
        "League opposes the dam\n\nBy Dana Reed\n\n"
        "Tom Hale, spokesman for the Valley League, said the league would fight the dam.\n"
        "The league has about 4,000 members in the lower valley.\n"
    )
    service = make_service()
    service.ingest([tmp_path / "league.txt"], progress=False)
    model = ScriptedChat("Tom Hale is the leader of the Valley League [1].")
    answer, _ = _answer(service, model, "Who is the leader of the Valley League?")
    assert not answer.answered and model.calls == [] and model.judged == []


def test_a_follow_up_is_rewritten_into_a_standalone_question_first(
    seeded_service: QAService,
) -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?"), Turn(Role.ASSISTANT, "A spokesman.")]
    model = ScriptedChat(
        "Which militia does Jawwad al-Tulaibawi speak for?",
        "Jawwad al-Tulaibawi speaks for the Asaib Ahl al-Haq militia [1].",
    )
    answer, _ = _answer(seeded_service, model, "Which militia does he speak for?", history)
    rewrite = model.calls[0][1]["content"]
    assert "Who is Jawwad al-Tulaibawi?" in rewrite and rewrite.endswith(
        "Which militia does he speak for?"
    )
    assert model.calls[1][1]["content"].endswith(
        "Which militia does Jawwad al-Tulaibawi speak for?"
    )
    assert answer.origin == "generated" and "Asaib Ahl al-Haq" in answer.text


def test_a_failed_rewrite_falls_back_to_the_question_terms(seeded_service: QAService) -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    answerer = generative(seeded_service, ScriptedChat(fail="down"))
    query = answerer.retrieval_query("Which militia does he speak for?", history)
    assert query == seeded_service.extractive.retrieval_query(
        "Which militia does he speak for?", history
    )


@pytest.mark.parametrize("reply", ["", "The articles don't say."])
def test_a_model_that_declines_gets_the_extractive_answer(
    seeded_service: QAService, reply: str
) -> None:
    answer, _ = _answer(seeded_service, ScriptedChat(reply))
    assert answer.origin == "extractive" and answer.answered


def test_after_a_failed_rewrite_the_model_is_asked_the_question_as_written(
    seeded_service: QAService,
) -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?")]
    model = ScriptedChat(None, "Jawwad al-Tulaibawi speaks for the Asaib Ahl al-Haq militia [1].")
    answer, _ = _answer(seeded_service, model, "Which militia does he speak for?", history)
    assert model.calls[1][1]["content"].endswith("Question: Which militia does he speak for?")
    assert answer.origin == "generated"


@pytest.mark.parametrize(
    "rewrite",
    [
        "Which militia does he speak for?",  # copied back: "he" is still nobody
        "Jawwad al-Tulaibawi speaks for the Asaib Ahl al-Haq militia.",  # answered, not asked
    ],
)
def test_a_follow_up_the_model_could_not_restate_is_quoted_without_asking_it_more(
    seeded_service: QAService, rewrite: str
) -> None:
    history = [Turn(Role.USER, "Who is Jawwad al-Tulaibawi?"), Turn(Role.ASSISTANT, "A spokesman.")]
    question = "Which militia does he speak for?"
    query = generative(seeded_service, ScriptedChat(rewrite)).retrieval_query(question, history)
    assert query.unresolved and not query.rewritten
    assert query.text == seeded_service.extractive.retrieval_query(question, history).text
    model = ScriptedChat(rewrite, "Jawwad al-Tulaibawi speaks for the Badr militia [1].")
    answer, _ = _answer(seeded_service, model, question, history)
    assert len(model.calls) == 1 and model.judged == []  # only the rewrite was asked for
    retrieval = seeded_service.retriever.retrieve(query, 5)
    quoted = seeded_service.extractive.answer(question, history, retrieval)
    assert answer.origin == "extractive" and answer.answered
    assert answer.text == quoted.text and "Asaib Ahl al-Haq" in answer.text
    assert answer.notice and "could not restate the follow-up" in answer.notice


def _strict(service: QAService, model: ScriptedChat) -> GenerativeAnswerer:
    """A generative answerer whose quoting gate never passes, but whose model reads any
    retrieved passage: what the model does on its own."""
    scorer = service.extractive.scorer
    strict = scorer.with_model(
        replace(
            scorer.model,
            threshold=1.0,
            overview_threshold=1.0,
            clear_floor=1.0,
            relevance_threshold=0.0,
        )
    )
    return GenerativeAnswerer(model, strict, ExtractiveAnswerer(strict))


def _strict_answer(service: QAService, model: ScriptedChat, question: str) -> Answer:
    answerer = _strict(service, model)
    retrieval = service.retriever.retrieve(answerer.retrieval_query(question, []), 5)
    *_, answer = answerer.stream(question, [], retrieval)
    assert isinstance(answer, Answer)
    return answer


def test_the_model_reads_what_retrieval_found_even_when_no_sentence_is_quotable(
    floods_service: QAService,
) -> None:
    question = "who paid for the road repairs?"
    model = ScriptedChat("The repairs were paid for from the national emergency fund [1].")
    answer = _strict_answer(floods_service, model, question)
    assert model.calls and answer.answered and answer.origin == "generated"
    assert "national emergency fund" in answer.text


@pytest.mark.parametrize(
    "reply", ["The repairs cost 5 million euros [1].", "The articles don't say."]
)
def test_a_model_that_vouches_for_its_sources_but_writes_nothing_verifiable_gets_the_quote(
    floods_service: QAService, reply: str
) -> None:
    # The quoting gate alone abstains here; the model said the sources answer.
    model = ScriptedChat(reply)
    answer = _strict_answer(floods_service, model, "how much did the road repairs cost?")
    assert answer.answered and answer.origin == "extractive" and answer.dropped == 1
    assert "3 million euros" in answer.text and "5 million" not in answer.text
    assert answer.notice and "quotes the articles instead" in answer.notice


def test_a_model_vouching_for_a_number_it_cannot_write_gets_no_quote(
    floods_service: QAService,
) -> None:
    # For "how many", the best sentence the words found is as often a number of
    # something else: the model's word alone does not let it be quoted.
    model = ScriptedChat("The articles don't say.")
    answer = _strict_answer(floods_service, model, "how many field kitchens were opened?")
    assert not answer.answered and model.judged


def test_a_model_not_asked_to_judge_vouches_for_nothing(floods_service: QAService) -> None:
    model = ScriptedChat("The repairs cost 5 million euros [1].")
    answerer = _strict(floods_service, model)
    answerer.scorer = answerer.scorer.with_model(replace(answerer.scorer.model, judge_threshold=0))
    question = "how much did the road repairs cost?"
    retrieval = floods_service.retriever.retrieve(answerer.retrieval_query(question, []), 5)
    *_, answer = answerer.stream(question, [], retrieval)
    assert isinstance(answer, Answer) and not answer.answered and model.judged == []


SAID = "What did the transport ministry say about the bridges and the repairs?"


@pytest.mark.parametrize(
    ("claim", "given"),
    [
        # Rests on "The Sava valley road will reopen …, the transport ministry said.".
        ("The transport ministry said the Sava valley road will reopen next week", True),
        # Rests on "Repairs cost 3 million euros …", which reports no one's words: the
        # "said" is only the model's.
        ("The transport ministry said repairs cost 3 million euros", False),
    ],
)
def test_what_someone_said_must_rest_on_a_sentence_that_reports_speech(
    floods_service: QAService, claim: str, given: bool
) -> None:
    sources = _shown(floods_service, SAID)
    cited = next(s.n for s in sources if "Repairs cost" in s.text and "ministry said" in s.text)
    answer, _ = _answer(floods_service, ScriptedChat(f"{claim} [{cited}]."), SAID)
    assert (answer.origin == "generated") is given
    if not given:
        assert not answer.answered or "gave no words anyone said" in (answer.notice or "")


OVERVIEW = "Give me an overview of the Sava floods"


def _shown(service: QAService, question: str) -> list[PromptSource]:
    """The sources the model is shown for ``question``."""
    answerer = generative(service, ScriptedChat())
    retrieval = service.retriever.retrieve(answerer.retrieval_query(question, []), 5)
    analysed = analyse_question(question)
    return select_sources(analysed, answerer.scorer.score(analysed, retrieval), answerer.quoting)


def _overview_sources(service: QAService) -> list[PromptSource]:
    return _shown(service, OVERVIEW)


def test_a_generated_overview_drawing_on_two_articles_is_given(floods_service: QAService) -> None:
    sources = _overview_sources(floods_service)
    assert len({s.passage.source for s in sources}) > 1
    first, last = sources[0], sources[-1]
    reply = (
        f"{first.sentences[0].rstrip('.')} [{first.n}]. {last.sentences[0].rstrip('.')} [{last.n}]."
    )
    model = ScriptedChat(reply)
    answer, _ = _answer(floods_service, model, OVERVIEW)
    assert answer.origin == "generated" and len({c.passage.source for c in answer.citations}) == 2
    assert model.calls[0][1]["content"].endswith(OVERVIEW_REQUEST)


VERSIONS = "Who sent boats to the cut-off villages? I've seen it reported differently."


def _versions_sources(service: QAService) -> list[PromptSource]:
    assert analyse_question(VERSIONS).compares
    return _shown(service, VERSIONS)


def test_a_question_on_how_the_reports_differ_is_answered_from_each_of_them(
    floods_service: QAService,
) -> None:
    sources = _versions_sources(floods_service)
    assert len({s.passage.source for s in sources}) == 2
    reply = " ".join(f"{s.sentences[0].rstrip('.')} [{s.n}]." for s in sources)
    model = ScriptedChat(reply)
    answer, _ = _answer(floods_service, model, VERSIONS)
    assert answer.origin == "generated" and len({c.passage.source for c in answer.citations}) == 2
    assert model.calls[0][1]["content"].endswith(OVERVIEW_REQUEST)  # one sentence from each


@pytest.mark.parametrize(
    ("question", "notice", "opening"),
    [
        (OVERVIEW, "one article", ""),
        (VERSIONS, "one source's version", "Reported 2 March 2021 (Northern Herald): "),
    ],
)
def test_an_answer_from_one_article_gives_way_to_the_quoted_one_from_each(
    floods_service: QAService, question: str, notice: str, opening: str
) -> None:
    """An overview, or a question on how the reports differ, answered from one article."""
    first = _shown(floods_service, question)[0]
    model = ScriptedChat(f"{first.sentences[0].rstrip('.')} [{first.n}].")
    answer, tokens = _answer(floods_service, model, question)
    assert answer.answered and answer.origin == "extractive"
    assert len({c.passage.source for c in answer.citations}) >= 2
    assert answer.text.startswith(opening)
    assert answer.notice and notice in answer.notice
    assert "".join(tokens) == answer.text  # the one-article sentence was held, never sent


ONE_ARTICLE = """Storm closes the coast road

Gales closed the coast road on Friday. Waves tore away the harbour wall at Brenn.
Two fishing boats sank at their moorings. The council opened the school as a shelter.
"""


@pytest.mark.parametrize("sentences", [1, 2])
def test_a_generated_overview_of_one_sentence_gives_way_to_the_quoted_one(
    make_service, tmp_path, sentences: int
) -> None:
    (tmp_path / "storm.txt").write_text(ONE_ARTICLE)
    service = make_service()
    service.ingest([tmp_path / "storm.txt"], progress=False)
    question = "Give me an overview of the storm on the coast"
    shown = [(s.n, sentence) for s in _shown(service, question) for sentence in s.sentences]
    assert len(shown) >= 2
    reply = " ".join(f"{text.rstrip('.')} [{n}]." for n, text in shown[:sentences])
    answer, _ = _answer(service, ScriptedChat(reply), question)
    assert answer.answered
    if sentences == 1:
        assert answer.origin == "extractive" and "one sentence" in (answer.notice or "")
        assert answer.text.count("[") >= 2
    else:
        assert answer.origin == "generated"


def test_generated_figures_from_several_articles_are_led_by_their_dates(
    floods_service: QAService,
) -> None:
    model = ScriptedChat(
        "1,200 families had been displaced [1]. 4,500 families have now been displaced [2]."
    )
    answer, _ = _answer(floods_service, model, "How many families were displaced by the floods?")
    assert answer.origin == "generated", answer.notice
    assert "As of 2 March 2021 (Northern Herald): 1,200 families" in answer.text
    assert "As of 9 March 2021 (River Times): 4,500 families" in answer.text


def test_a_byline_is_given_from_the_article_s_metadata_without_the_model(
    floods_service: QAService,
) -> None:
    model = ScriptedChat("The piece was written by Tom Hale [1].")
    answer, _ = _answer(
        floods_service, model, "Who wrote the article about the road reopening after the repairs?"
    )
    assert answer.answered and answer.origin != "generated"
    assert answer.text.startswith("“Sava valley road to reopen after flood repairs”, by Lena Sorel")
    assert model.calls == [] and model.judged == []


def test_each_question_a_compound_question_asks_is_shown_its_sources_and_asked_for(
    make_service,  # type: ignore[no-untyped-def]
) -> None:
    question = "Who did the regional governor ask for boats, and how much did the repairs cost?"
    model = ScriptedChat("The regional governor asked the army for boats [1].")
    service = make_service(llm=AnswerMode.OPENAI)
    service.ingest([DATA / "floods"], progress=False)
    service.answerer = generative(service, model)
    answer = list(service.ask_stream(question))[-1]
    prompt = model.calls[0][1]["content"]
    # Each part's own best sentence is among the sources, though ranked for the whole
    # question the second part's may not be.
    assert "asked the army for boats" in prompt
    assert "Repairs cost 3 million euros" in prompt
    parts = "Who did the regional governor ask for boats? how much did the repairs cost?"
    assert prompt.endswith(PARTS_REQUEST.format(parts=parts))
    # The model answered the first part only: the second is quoted from its source.
    assert isinstance(answer, Answer) and answer.origin == "generated"
    assert answer.text.startswith("The regional governor asked the army for boats. [1]")
    assert "Repairs cost 3 million euros" in answer.text.split("[1]", 1)[1]
    assert {c.passage.source for c in answer.citations} == {"early.txt", "repairs.txt"}


def test_a_part_is_quoted_when_the_model_rests_only_on_a_sentence_its_quote_shares(
    make_service,  # type: ignore[no-untyped-def]
) -> None:
    # The second part's quote also carries the sentence answering the first, which the
    # model's one sentence rests on: the second part is still left out, and quoted.
    question = (
        "How many suicide bombers were said to be operating in Mosul, and how many vehicle "
        "bombs were destroyed this morning?"
    )
    model = ScriptedChat(
        "The Iraqi military said it had info about at least 100 ISIS suicide bombers "
        "operating in Mosul [1]."
    )
    service = make_service(llm=AnswerMode.OPENAI)
    service.ingest([SEEDS], progress=False)
    service.answerer = generative(service, model)
    answer = list(service.ask_stream(question))[-1]
    assert isinstance(answer, Answer) and answer.origin == "generated", answer
    said, rest = answer.text.split("[1]", 1)
    assert "The Iraqi military said it had info about at least 100" in said
    assert "this morning three were destroyed" in rest


def test_a_part_the_model_leaves_out_is_quoted_at_the_lower_bar_of_an_answered_question(
    make_service,  # type: ignore[no-untyped-def]
) -> None:
    # With the fact threshold above the second part's best probability but below twice
    # it, the quoting answerer reads that part at the lower bar once the first part is
    # answered; so does the part the model leaves out.
    first = "Who did the regional governor ask for boats"
    second = "how much did the repairs cost?"
    model = ScriptedChat("The regional governor asked the army for boats [1].")
    service = make_service(llm=AnswerMode.OPENAI)
    service.ingest([DATA / "floods"], progress=False)
    scorer = service.extractive.scorer

    def best(question: str, history: list[Turn]) -> float:
        found = scorer.score(analyse_question(question, history), service.search(question))
        return found[0].score

    part = max(best(second, [Turn(Role.USER, f"{first}?")]), best(second, []))
    threshold = (part + best(f"{first}?", [])) / 2
    assert part < threshold < 2 * part
    scorer.model = replace(
        scorer.model, threshold=threshold, name_threshold=None, clear_ratio=float("inf")
    )
    service.answerer = generative(service, model)
    answer = list(service.ask_stream(f"{first}, and {second}"))[-1]
    assert isinstance(answer, Answer) and answer.origin == "generated", answer
    assert answer.text.startswith("The regional governor asked the army for boats. [1]")
    assert "Repairs cost 3 million euros" in answer.text.split("[1]", 1)[1]
