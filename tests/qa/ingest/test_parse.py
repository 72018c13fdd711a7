import subprocess
import sys

import pytest

from qa.ingest.formats import to_plain_text
from qa.ingest.parse import find_date, parse_article
from qa.ingest.titles import without_site_name
from tests.helpers import SEEDS, article_text


@pytest.mark.parametrize(
    ("source", "title", "published", "author", "publisher"),
    [
        (
            "000_8ae4ba73e080a6d3.txt",
            "Iraqi forces gain foothold in Mosul after new push",
            "2017-05-06",
            "Madeline Patrick",
            None,
        ),
        (
            "001_8b85acb5168ecd99.txt",
            "Coalition huddles as forces inch towards Mosul",
            "2016-10-25",
            "AFP",
            "Ahram Online",
        ),
        (
            "002_eda97d55f238a577.txt",
            "Daesh stages murderous fightback in Mosul",
            "2016-11-10",
            "Simon Nelson",
            None,
        ),
        (
            "003_cfdb91c2d4b0977c.txt",
            "Video: Iraqi Forces Purging Remaining (US Supported) ISIS Terrorists in Old Mosul",
            None,
            "South Front",
            "globalresearch.ca",
        ),
        (
            "004_01363808ca93a349.txt",
            "West Mosul Breached as War on IS Rages in Iraq, Syria",
            None,
            None,
            None,
        ),
    ],
)
def test_seed_metadata(
    source: str, title: str, published: str | None, author: str | None, publisher: str | None
) -> None:
    article = parse_article(source, article_text(SEEDS / source))
    assert (article.title, article.published, article.author, article.publisher) == (
        title,
        published,
        author,
        publisher,
    )


@pytest.mark.parametrize("source", sorted(p.name for p in SEEDS.iterdir()))
def test_seed_bodies_hold_no_page_debris(source: str) -> None:
    body = parse_article(source, article_text(SEEDS / source)).body
    for debris in (
        "Leave a Reply",
        "commenting using",
        "Connecting to %s",
        "Views:",
        "Short link",
        "Last Update",
        "©",
        "cookies",
        "PayPal",
        "Disclaimer",
        "[email protected]",
        "Article page new theme",
        "Submitted by",
    ):
        assert debris not in body


def test_body_keeps_the_story_from_first_to_last_sentence() -> None:
    body = parse_article("004.txt", article_text(SEEDS / "004_01363808ca93a349.txt")).body
    assert body.startswith("Iraqi forces on Friday entered west Mosul neighborhoods")
    assert body.endswith("Friday’s raid was the deadliest to date against the border guard.")


def test_a_subheading_after_the_first_paragraphs_is_not_taken_for_the_headline() -> None:
    text = (
        "The Old Bridge over the Tigris reopened to traffic on Tuesday, seven years on.\n\n"
        "Governor Najm al-Jubouri cut the ribbon and said 12,000 vehicles would cross daily.\n\n"
        "A long road back\n\n"
        "The reconstruction took 31 months.\n"
    )
    article = parse_article("bridge.txt", text)
    assert article.title == "bridge"  # no headline: the file's name, as for any text
    assert article.body.startswith("The Old Bridge") and "12,000 vehicles" in article.body
    assert "A long road back" in article.body


@pytest.mark.parametrize(
    "headline", ["تقدم القوات العراقية في الموصل", "הכוחות העירקיים מתקדמים במוסול", "Обзор боёв"]
)
def test_a_headline_in_a_script_without_capitals_is_read_as_one(headline: str) -> None:
    text = f"{headline}\n\nIraqi forces entered west Mosul on Friday, officials said.\n"
    article = parse_article("report.txt", text)
    assert article.title == headline and article.body.startswith("Iraqi forces")


def test_the_author_s_name_alone_and_a_date_under_the_headline_are_its_byline() -> None:
    text = (
        "IRAQ\nSunni politicians split over post-Mosul plan\nMustafa Saadoun\nJuly 18, 2017\n\n"
        "Sunni Arab politicians in Iraq are divided over a proposal for a new region.\n"
    )
    article = parse_article("plan.txt", text)
    assert (article.author, article.published) == ("Mustafa Saadoun", "2017-07-18")
    assert article.body.startswith("Sunni Arab politicians")
    # a name-like line under a headline with no date under it stays the story's
    article = parse_article("plan.txt", text.replace("July 18, 2017\n", ""))
    assert article.author is None and "Mustafa Saadoun" in article.body


def test_a_published_line_under_the_headline_dates_the_article() -> None:
    text = (
        "Iraqi forces retake Mosul airport\n\nPublished: 23 February 2017\n"
        "Updated: 24 February 2017\n\nIraqi forces retook Mosul airport on Thursday.\n"
    )
    article = parse_article("airport.txt", text)
    assert article.published == "2017-02-23"
    assert article.body == "Iraqi forces retook Mosul airport on Thursday."


def test_dates_become_iso_8601() -> None:
    assert find_date("06.05.2017 Madeline Patrick") == "2017-05-06"
    assert find_date("AFP , Tuesday 25 Oct 2016") == "2016-10-25"
    assert find_date("Submitted by Matthew on 10 November, 2016 - 10:19") == "2016-11-10"
    assert find_date("March 3, 2017") == "2017-03-03"
    assert find_date("no date here") is None


def test_html_keeps_text_and_drops_scripts_and_styles() -> None:
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><h1>Forces enter the old city of Mosul</h1><p>Troops advanced on Monday.</p>"
        "</body></html>"
    )
    text = to_plain_text(html, ".html")
    assert "alert" not in text and "color" not in text
    article = parse_article("page.html", text)
    assert article.title == "Forces enter the old city of Mosul"
    assert article.body == "Troops advanced on Monday."


# An upload at the size limit, read in a process of its own: the old reading took time
# growing with the square of the paragraphs (an hour of a core for this one), where one
# pass takes seconds. The bound is a hang's, not a speed target (those are in make bench).
MANY_PARAGRAPHS = """
from qa.ingest.formats import to_plain_text
html = "<html><body>" + "<p>Word.</p>" * 150_000 + "<div>" * 20_000 + "deep"
print(to_plain_text(html, ".html").count("Word."), to_plain_text(html, ".html").strip()[-4:])
print(to_plain_text("Word.\\n\\n" * 100_000, ".md").count("Word."))
"""


def test_a_page_of_many_paragraphs_or_deep_nesting_is_read_in_one_pass() -> None:
    result = subprocess.run(
        [sys.executable, "-c", MANY_PARAGRAPHS], capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["150000", "deep", "100000"], result.stderr[-500:]


def test_markdown_is_read_as_text() -> None:
    text = to_plain_text(
        "# Forces enter the old city\n\nTroops **advanced** on [Monday](x).\n", ".md"
    )
    article = parse_article("a.md", text)
    assert article.title == "Forces enter the old city"
    assert article.body == "Troops advanced on Monday."


SAVED_PAGE = """# Christians trickle back to Qaraqosh after the war | Crossroads Weekly

> ## Excerpt
> Only a few thousand of its 50,000 residents have returned.

---
[Skip to main content](#main)

-   [World](https://example.org/world/)
-   [Church](https://example.org/church/)
-   [Donate](https://example.org/donate/)

[World](https://example.org/world/) > [Middle East](https://example.org/world/me/)

## Christians trickle back to Qaraqosh after the war

Only a few thousand of its 50,000 residents have returned

By [Simon Hale](https://example.org/author/simon-hale/) | October 6, 2017

QARAQOSH, Iraq — The church bells rang again this summer, for the first time in three years.

“Every week a few more families come,” he said. “But every week a few more also leave.”

**Share this story:** [Facebook](https://f.example/) | [Twitter](https://t.example/)

Tags: [Iraq](https://example.org/tags/iraq) [Christians](https://example.org/tags/christians)
"""


def test_a_markdown_copy_of_a_whole_page_is_read_without_its_menus_and_title_bar() -> None:
    # A browser extension's save: the page's title with the site's name, its description,
    # then the page, menus, breadcrumb and share bar as lists and lines of links.
    from qa.ingest.pipeline import read_article

    article, _ = read_article("saved.md", SAVED_PAGE)
    assert (article.title, article.author, article.published, article.publisher) == (
        "Christians trickle back to Qaraqosh after the war",
        "Simon Hale",
        "2017-10-06",
        "Crossroads Weekly",
    )
    assert article.body.startswith("QARAQOSH, Iraq")  # not the description, nor the menus
    assert article.body.endswith("every week a few more also leave.”")
    # a link inside the story's own words stays
    linked = "Troops took [the airport](https://example.org/a) on Monday, officials said."
    assert "the airport on Monday" in read_article("a.md", f"# Airport taken\n\n{linked}\n")[0].body


def test_a_headline_standing_twice_without_a_site_s_name_is_left_as_it_is() -> None:
    text = (
        f"Mosul falls to the army after months\n\nMosul falls to the army after months\n\n{STORY}\n"
    )
    assert parse_article("twice.txt", text).title == "Mosul falls to the army after months"


PARAGRAPHS = "\n\n".join(
    f"Paragraph {n} of the story: the council met again on Monday and the vote was delayed."
    for n in range(6)
)


def test_a_browser_copy_showing_its_headline_twice_is_read_from_the_first() -> None:
    text = (
        "Skip to content\nBasra Business Daily\nBasra Business Daily\n"
        "Business and economic news from southern Iraq and the Gulf\n\nHome\nEnergy\nPorts\n"
        "Search for:\nPorts\nUmm Qasr port widens its berths as trade picks up\n"
        "May 2, 2018 by Layla Hamid\n\nUmm Qasr port widens its berths as trade picks up\n\n"
        f"{PARAGRAPHS}\n\nShare this:\n\n    Twitter\n    Facebook\n\nLike this:\nLoading...\n"
        "Related\nBasra airport adds routes\nMarch 19, 2018\nTags: Basra, Ports\n"
        "Previous Post Previous post: Basra airport adds routes to Istanbul and Doha this spring\n"
        "Leave a Reply\n\nSubscribe\n\n"
        "Copyright © 2018 Basra Business Daily. All rights reserved.\n"
    )
    article = parse_article("copy.txt", text)
    assert (article.title, article.author, article.published) == (
        "Umm Qasr port widens its berths as trade picks up",
        "Layla Hamid",
        "2018-05-02",
    )
    assert article.body == PARAGRAPHS


def test_a_browser_copy_credited_to_a_desk_with_share_buttons_and_a_footer_row() -> None:
    text = (
        "World Briefing\nMENU\nSign in | Register\nMiddle East\n"
        "Thousands flee the enclave as troops push into the town\n"
        "From staff and wire reports\n"
        "Published March 15, 2018 at 5:52 pm | Updated March 15, 2018 at 9:10 pm\n"
        f"Facebook  Twitter  Email  Print\n\n{PARAGRAPHS}\n\nMost Read\n"
        + "".join(f"{n}. Another story's headline number {n} of the day\n" for n in range(1, 6))
        + "\nSign up for the Morning Briefing\nEnter your email address\nSign up\n\n"
        "About Us | Contact | Careers | Advertise | Terms of Service | Privacy Policy | "
        "Cookie Settings\n© 2018 World Briefing LLC. All rights reserved.\n"
    )
    article = parse_article("copy.txt", text)
    assert (article.title, article.author, article.published) == (
        "Thousands flee the enclave as troops push into the town",
        None,
        "2018-03-15",
    )
    assert article.body == PARAGRAPHS


def test_article_bytes_are_decoded_with_a_fallback_and_binary_is_refused() -> None:
    import pytest

    from qa.ingest.formats import decode_article

    assert decode_article("\ufeffcafé".encode()) == "café"  # a UTF-8 byte order mark
    legacy = "The “Old Bridge” café reopened on Sunday after months of repairs.".encode("cp1252")
    assert "“Old Bridge” café" in decode_article(legacy)
    spanish = "By José Núñez – 12 March 2023. Business was “très bon”, he said.".encode("cp1252")
    assert "José Núñez" in decode_article(spanish) and "très" in decode_article(spanish)
    with pytest.raises(ValueError, match="binary"):
        decode_article(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ValueError, match="binary"):
        decode_article(b"Troops advanced. " * 1000 + b"\x00")  # a NUL far into the file
    with pytest.raises(ValueError, match="binary"):
        decode_article(b"\x01\x02\x03 " * 100)  # valid UTF-8, but control characters
    # Zero-width spaces, soft hyphens and direction controls show nothing: debris.
    assert decode_article("Mo\u200bsul re\u00adopened \u202eon Sunday".encode()) == (
        "Mosul reopened on Sunday"
    )
    assert decode_article("Troops\u00a0advanced.".encode()) == "Troops\u00a0advanced."
    # A stray control character in a short note is dropped, a page break is a line break.
    assert decode_article(b"Troops advanced.\x07 The bridge reopened.") == (
        "Troops advanced. The bridge reopened."
    )
    assert decode_article(b"Page one.\x0cPage two.") == "Page one.\nPage two."


def test_ingest_skips_binary_empty_and_oversized_files_with_a_reason(
    make_service, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "empty.txt").write_text("")
    (folder / "huge.txt").write_text("Mosul. " * 400)
    service = make_service(max_document_bytes=1000)
    report = service.ingest([folder], progress=False)
    reasons = {name: detail for name, (outcome, detail) in report.outcomes.items()}
    assert {o for o, _ in report.outcomes.values()} == {"skipped"}
    assert "binary" in reasons["image.txt"] and "limit" in reasons["huge.txt"]
    assert "no article text" in reasons["empty.txt"]
    assert service.status().chunks == 0


def test_markdown_front_matter_gives_the_metadata_and_is_not_text() -> None:
    from qa.ingest.pipeline import read_article

    text = (
        '---\ntitle: "Mosul airport reopens to civilian flights"\ndate: 2024-06-02\n'
        "authors: [Rana Ali, Omar Saleh]\npublisher: Nineveh Times\n---\n\n"
        "The airport in Mosul received its first civilian flight in ten years on Sunday.\n"
    )
    article, _ = read_article("airport.md", text)
    assert (article.title, article.published, article.author, article.publisher) == (
        "Mosul airport reopens to civilian flights",
        "2024-06-02",
        "Rana Ali, Omar Saleh",
        "Nineveh Times",
    )
    assert (
        article.body
        == "The airport in Mosul received its first civilian flight in ten years on Sunday."
    )
    unclosed = "---\ntitle: x\n\nThe airport in Mosul received its first civilian flight.\n"
    assert "civilian flight" in read_article("open.md", unclosed)[0].body


STORY = "Iraqi forces took full control of Mosul on Monday, the prime minister said."


@pytest.mark.parametrize(
    ("head", "title", "published", "author"),
    [
        ("Mosul falls\nBy Ahmed Rashid, 3 March 2017", "Mosul falls", "2017-03-03", "Ahmed Rashid"),
        ("3 killed as car bomb hits Mosul market\nBy Ahmed Rashid, 3 March 2017",
         "3 killed as car bomb hits Mosul market", "2017-03-03", "Ahmed Rashid"),
        ("Will Iraqi forces retake Mosul before the summer heat arrives?\n3 March 2017",
         "Will Iraqi forces retake Mosul before the summer heat arrives?", "2017-03-03", None),
        ('Abadi says the battle will be over "within a few weeks"\n\n23 February 2017',
         'Abadi says the battle will be over "within a few weeks"', "2017-02-23", None),
        ("Mosul falls\nBy Ahmed Rashid\nFebruary 23, 2017", "Mosul falls", "2017-02-23",
         "Ahmed Rashid"),
        ("Mosul falls\nReporter: Ahmed Sabah   Editor: Rana Jalil\nFebruary 23, 2017",
         "Mosul falls", "2017-02-23", "Ahmed Sabah"),
        ("Mosul falls\nWritten by: Hassan Ali\nFebruary 23, 2017", "Mosul falls",
         "2017-02-23", "Hassan Ali"),
        ("Mosul falls\nHemin Salih | 24 January 2019 | 17:05", "Mosul falls", "2019-01-24",
         "Hemin Salih"),
    ],
)  # fmt: skip
def test_a_text_s_headline_date_and_byline_are_read_and_kept_out_of_the_story(
    head: str, title: str, published: str, author: str | None
) -> None:
    article = parse_article("story.txt", f"{head}\n\n{STORY}\n")
    assert (article.title, article.published, article.author, article.body) == (
        title,
        published,
        author,
        STORY,
    )


def test_a_story_paragraph_about_copyright_is_not_a_copyright_line() -> None:
    law = "Copyright law in Iraq dates from 1971, and fines have not changed since, he said."
    article = parse_article("law.txt", f"Iraq tightens film piracy rules\n\n{STORY}\n\n{law}\n")
    assert law in article.body and article.publisher is None


def test_toml_front_matter_and_western_text_in_windows_1252() -> None:
    from qa.ingest.formats import decode_article
    from qa.ingest.pipeline import read_article

    toml = '+++\ntitle = "Mosul airport reopens"\ndate = 2024-06-02T10:00:00+03:00\n+++\n\n'
    article, _ = read_article("airport.md", toml + STORY)
    assert (article.title, article.published, article.body) == (
        "Mosul airport reopens",
        "2024-06-02",
        STORY,
    )
    portuguese = "A população de São Paulo protestou, disse João Gonçalves.".encode("cp1252")
    assert decode_article(portuguese) == "A população de São Paulo protestou, disse João Gonçalves."


def test_the_outlet_of_a_copyright_line_leaves_its_rights_reserved() -> None:
    text = (
        "Council approves plan\n\nThe council approved it.\n\n"
        "© 2017 Nineveh News Agency. All rights reserved.\n"
    )
    assert parse_article("plan.txt", text).publisher == "Nineveh News Agency"


@pytest.mark.parametrize(
    ("title", "outlet", "headline"),
    [
        ("Italy to send troops to Mosul dam - CNN.com", "CNN", "Italy to send troops to Mosul dam"),
        ("Kurdish leaders postpone session | Rudaw.net", None, "Kurdish leaders postpone session"),
        ("Council approves plan :: Nineveh News", "Nineveh News", "Council approves plan"),
        ("The Daily Courier » Mosul retaken", "Daily Courier", "Mosul retaken"),
        ("In pictures: Mosul - BBC News", "BBC", "In pictures: Mosul"),
        ("Iraq - Turkey water talks stall", None, "Iraq - Turkey water talks stall"),
        ("Iraq - Turkey water talks stall", "Rudaw", "Iraq - Turkey water talks stall"),
        ("Mosul water crisis – live updates", "BBC News", "Mosul water crisis – live updates"),
    ],
)  # fmt: skip
def test_the_site_s_name_beside_a_headline_is_not_part_of_it(
    title: str, outlet: str | None, headline: str
) -> None:
    assert without_site_name(title, outlet) == headline


def test_a_saved_page_s_headline_loses_the_site_s_address() -> None:
    text = "# Council approves plan | ninevehnews.net\n\nThe council approved it on Sunday.\n"
    assert parse_article("plan.md", to_plain_text(text, ".md")).title == "Council approves plan"


COPIED = """Skip to main content
Al-Monitor
Sign in
Subscribe
Home
Middle East
Iraq

IRAQ
Sunni politicians split over post-Mosul plan
Mustafa Saadoun
July 18, 2017

Sunni Arab politicians in Iraq are divided over a proposal to create a new region.

The idea would give the province powers similar to those of the Kurdistan Region.

Mustafa Saadoun is an Iraqi journalist covering human rights. He was a reporter before.

Recommended Articles
Iraqi Kurds push ahead with referendum
Why Iran backs the Popular Mobilization Units
Facebook
Twitter
© 2024 Al-Monitor, LLC. All rights reserved.
"""


def test_a_page_copied_from_a_browser_loses_its_menu_links_and_author_s_note() -> None:
    article = parse_article("sunni.txt", COPIED)
    assert (article.title, article.author, article.published, article.publisher) == (
        "Sunni politicians split over post-Mosul plan",
        "Mustafa Saadoun",
        "2017-07-18",
        "Al-Monitor",
    )
    assert article.body.startswith("Sunni Arab politicians in Iraq are divided")
    assert article.body.endswith("similar to those of the Kurdistan Region.")


def test_a_short_headline_under_a_menu_is_kept() -> None:
    text = "Home\nWorld\nIraq\nMiddle East\nMosul retaken\nBy Peter Hallam\n\n" + (
        "Iraqi forces retook the city on Sunday after a nine-month battle, officials said.\n"
    )
    article = parse_article("retaken.txt", text)
    assert (article.title, article.author) == ("Mosul retaken", "Peter Hallam")
    assert article.body.startswith("Iraqi forces retook the city")
    text = "Home\nWorld\nIraq\nMiddle East\nMosul retaken\nPeter Hallam\nJuly 10, 2017\n\n" + (
        "Iraqi forces retook the city on Sunday after a nine-month battle, officials said.\n"
    )
    article = parse_article("retaken.txt", text)
    assert (article.title, article.author, article.published) == (
        "Mosul retaken",
        "Peter Hallam",
        "2017-07-10",
    )


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Sunday, 04-12-2016 14:32", "2016-12-04"),  # 12 April 2016 was a Tuesday
        ("Tuesday, 04/12/2016", "2016-04-12"),
        ("Monday 03/07/2017", "2017-07-03"),
        ("04-12-2016", "2016-12-04"),  # no weekday: a dashed date is read day first
    ],
)
def test_a_weekday_settles_a_date_in_numbers_that_reads_two_ways(line: str, day: str) -> None:
    assert find_date(line) == day


def test_persian_text_full_of_joiners_is_text_not_binary() -> None:
    from qa.ingest.formats import decode_article

    text = "امسال دوباره آب را می\u200cبینیم و پرندگان برگشته\u200cاند.\n" * 20
    assert decode_article(text.encode("utf-8")) == text


def test_a_date_under_a_byline_below_a_standfirst_dates_the_story() -> None:
    head = "Mosul falls\nIraq declares the end of a long battle\n\nBy Ahmed Rashid\nJuly 10, 2017"
    article = parse_article("story.txt", f"{head}\n5 min read\n\n{STORY}\n")
    assert (article.published, article.author) == ("2017-07-10", "Ahmed Rashid")
    assert "July 10, 2017" not in article.body


def test_a_read_later_export_s_front_matter_gives_outlet_and_date_of_publication() -> None:
    from qa.ingest.pipeline import read_article

    yaml = (
        '---\ntitle: "Raqqa rebuilds"\nauthor: Joudi Hamdan\nsite_name: Syria Dispatch\n'
        "date_published: 2018-10-17\ndate_saved: 2021-03-02T21:47:12Z\n---\n\n"
    )
    article, _ = read_article("raqqa.md", yaml + STORY)
    assert (article.publisher, article.published) == ("Syria Dispatch", "2018-10-17")
    clipped = "---\nsource: https://www.crossroadsweekly.org/world/2017/10/06/qaraqosh/\n---\n\n"
    article, _ = read_article("qaraqosh.md", clipped + STORY)
    assert article.publisher is None  # where a clipper saved it from, not an outlet's name
