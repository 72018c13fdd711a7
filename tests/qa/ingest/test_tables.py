"""Data tables written out a row to a sentence; tables laying out a page left out."""

from qa.ingest.html import extract_html_article
from qa.ingest.tables import written_out

ROWS = [
    "| People displaced from Mosul (IOM) |  |  | ",
    "|---|---|---|",
    "| Date | Displaced | Still displaced | ",
    "|---|---|---|",
    "| 1 April 2017 | 468,126 | 369,786 | ",
    "| 9 July 2017 | 920,624 |  | ",
]


def test_each_row_of_a_data_table_is_a_sentence_with_its_headings() -> None:
    assert written_out(["Figures grew.", *ROWS, "Returns lag."]) == [
        "Figures grew.",
        "People displaced from Mosul (IOM)",
        "1 April 2017: Displaced 468,126, Still displaced 369,786.",
        "9 July 2017: Displaced 920,624.",
        "Returns lag.",
    ]


def test_a_table_without_headings_gives_its_cells_in_order() -> None:
    assert written_out(["| Erbil | 12 camps |", "| Duhok | 20 camps |"]) == [
        "Erbil: 12 camps.",
        "Duhok: 20 camps.",
    ]


def test_a_table_that_lays_out_the_page_is_left_out() -> None:
    story = " ".join(["The council approved the plan on Sunday."] * 4)
    layout = [r"| Home \| Local \| Iraq |  |", f"| Latest news | {story} |"]
    assert written_out(["Headline", *layout]) == ["Headline"]


def test_a_page_s_table_is_read_as_sentences() -> None:
    story = "".join(
        f"<p>Paragraph {n} of the story says how the numbers of displaced people grew.</p>"
        for n in range(4)
    )
    table = (
        "<table><tr><th>Date</th><th>Displaced</th></tr>"
        "<tr><td>1 April 2017</td><td>468,126</td></tr>"
        "<tr><td>9 July 2017</td><td>920,624</td></tr></table>"
    )
    page = f"<html><body><article><h1>Mosul in numbers</h1>{story}{table}</article></body></html>"
    article = extract_html_article("numbers.html", page)
    assert article is not None and "9 July 2017: Displaced 920,624." in article.body


def test_a_table_of_links_to_other_stories_is_left_out() -> None:
    rows = [
        "| Iraq's central bank sells $162 million in daily auction | 14/12/2017 |",
        "| Parliament postpones vote on election date | 13/12/2017 |",
    ]
    links = {
        "iraq'scentralbanksells$162millionindailyauction",
        "parliamentpostponesvoteonelectiondate",
    }
    assert written_out(["Story.", *rows], links) == ["Story."]
    assert len(written_out(["Story.", *rows])) == 3
