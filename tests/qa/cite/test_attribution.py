"""Dates and outlets of quoted sentences: leads for figures and for summaries."""

from qa.cite.attribution import Quote, by_date, label_articles, label_figures, reported_on
from qa.types import Passage


def _passage(source: str, published: str | None, publisher: str | None = "Herald") -> Passage:
    return Passage(
        f"{source}#1", source, "text", f"Title {source}", publisher, published, "A. Writer"
    )


def test_dates_read_as_a_reader_writes_them() -> None:
    assert reported_on(_passage("a", "2016-10-25")) == "25 October 2016"
    assert reported_on(_passage("a", None)) == "undated"


def test_quotes_go_oldest_first_and_undated_last() -> None:
    quotes = [
        Quote("c", _passage("c", None)),
        Quote("b", _passage("b", "2017-05-06")),
        Quote("a", _passage("a", "2016-10-25")),
    ]
    assert [q.sentence for q in by_date(quotes)] == ["a", "b", "c"]


def test_figures_are_led_by_date_and_outlet_only_when_two_articles_give_them() -> None:
    early = Quote("1,200 fled.", _passage("a", "2021-03-02", "Northern Herald"))
    later = Quote("4,500 fled.", _passage("b", "2021-03-09", None))
    led = label_figures([early, later])
    assert led[0].lead == "As of 2 March 2021 (Northern Herald): "
    assert led[1].lead == "As of 9 March 2021 (A. Writer): "  # no outlet: the author
    assert label_figures([early, Quote("More fled.", later.passage)])[0].lead == ""


def test_a_summary_of_several_articles_dates_the_first_quote_of_each() -> None:
    a1 = Quote("One.", _passage("a", "2021-03-02"))
    a2 = Quote("Two.", a1.passage)
    b1 = Quote("Three.", _passage("b", "2021-03-09"))
    assert [q.lead for q in label_articles([a1, a2, b1])] == [
        "On 2 March 2021 (Herald): ",
        "",
        "On 9 March 2021 (Herald): ",
    ]
    assert label_articles([a1, a2]) == [a1, a2]


def test_an_undated_article_is_said_to_be_undated() -> None:
    dated = Quote("One.", _passage("a", "2021-03-02"))
    undated = Quote("Two.", _passage("b", None, "Drava Today"))
    assert label_articles([dated, undated])[1].lead == "Undated (Drava Today): "
    with_figures = [Quote("1,200 fled.", dated.passage), Quote("4,500 fled.", undated.passage)]
    assert label_figures(with_figures)[1].lead == "Undated (Drava Today): "
