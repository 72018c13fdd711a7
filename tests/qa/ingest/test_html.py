"""Articles pulled out of news pages of several layouts (tests/data/pages, written for
these tests): main text without page furniture, headline, author, outlet, date."""

import time
from html import escape

import pytest

from qa.ingest.html import extract_html_article
from qa.ingest.pipeline import read_article
from tests.helpers import DATA

PAGES = DATA / "pages"
FURNITURE = (
    "cookie", "Subscribe", "Related stories", "Leave a comment", "Most read", "Share this",
    "Advertisement", "Responses", "Blogroll", "Sign up", "Privacy", "All rights reserved",
)  # fmt: skip


@pytest.mark.parametrize(
    ("page", "title", "author", "published", "publisher", "first", "last"),
    [
        (  # Open Graph and article meta tags, a byline with <time>
            "herald.html",
            "Floods cut valley road as river bursts its banks",
            "Dana Reed",
            "2021-03-02",
            "The Northern Herald",
            "Heavy rain flooded the Sava valley",
            "asked the army for boats.",
        ),
        (  # JSON-LD metadata; an "updated" date in the page that is not the publication's
            "wire.html",
            "Relief agencies stretched as displaced numbers climb",
            "Ivo Marek",
            "2021-03-09",
            "River Times",
            "Relief agencies said on Tuesday",
            "inspect the buildings for damage.",
        ),
        (  # a blog: "Posted on <date> by <author>", a comment thread, a sidebar
            "blog.html",
            "Sava valley road to reopen after flood repairs",
            "Lena Sorel",
            "2021-04-20",
            "Valley Post",
            "The Sava valley road will reopen next week",
            "the spring planting would be late.",
        ),
        (  # a dateline with place, date and author in one line; the outlet in <title>
            "dateline.html",
            "Bridge inspectors find cracks in Drava crossing",
            "Petra Lang",
            "2021-03-15",
            "Drava Today",
            "Inspectors found cracks in two piers",
            "to cost about 800,000 euros.",
        ),
    ],
)
def test_a_news_page_gives_its_article_and_metadata(
    page: str, title: str, author: str, published: str, publisher: str, first: str, last: str
) -> None:
    article = extract_html_article(page, (PAGES / page).read_text())
    assert article is not None
    assert (article.title, article.author, article.published, article.publisher) == (
        title,
        author,
        published,
        publisher,
    )
    assert article.body.startswith(first) and article.body.endswith(last)
    for furniture in FURNITURE:
        assert furniture not in article.body, furniture


def test_a_fragment_with_no_article_falls_back_to_the_text_cleaner() -> None:
    article, chunks = read_article("note.html", "<p>Floods closed the road on Monday.</p>")
    assert article.body == "Floods closed the road on Monday." and len(chunks) == 1


@pytest.mark.parametrize("tag", ["<title>", "<h1>"])
def test_a_page_full_of_unclosed_title_tags_is_read_in_linear_time(tag: str) -> None:
    # Each unclosed <title> once made the outlet search scan the rest of the page:
    # time squared in the page's length (minutes for a 2 MB upload); so would each <h1>.
    page = (PAGES / "herald.html").read_text() + "<script>/*" + tag * 40_000
    begun = time.perf_counter()
    article = extract_html_article("herald.html", page)
    assert article is not None and article.title.startswith("Floods cut valley road")
    assert time.perf_counter() - begun < 10  # ~1 s; quadratic, it took minutes


STORY = (
    "<p>The water level of the Tigris at Mosul fell to its lowest point in forty years this"
    " week, the water ministry said in a statement on its website.</p><p>Farmers south of"
    " the city said they had not been able to irrigate their wheat fields for a month.</p>"
)


def _page(title: str, head: str = "", above: str = "", below: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body><nav><a>Home</a> <a>World</a>"
        f"</nav><article><h1>Tigris falls to forty-year low at Mosul</h1>{above}{STORY}"
        f"</article>{below}</body></html>"
    )


def test_a_page_without_a_date_of_its_own_is_undated_and_its_byline_is_not_story() -> None:
    related = (
        '<div class="related"><ul><li><a href="/2018/06/12/b">Heatwave closes offices</a>'
        " <span>June 12, 2018</span></li></ul></div><footer>Archive: 2009 2010 2011"
        " <p>© 2019–2025 Tigris Herald</p></footer>"
    )
    page = _page(
        "Tigris falls", above="<p>By Hana Yousif | Published 5 hours ago</p>", below=related
    )
    article = extract_html_article("tigris.html", page)
    assert article is not None and article.published is None  # not a footer's year
    assert article.author == "Hana Yousif" and article.body.startswith("The water level")


def test_the_date_shown_under_the_headline_comes_before_a_modified_time() -> None:
    head = '<meta property="article:modified_time" content="2025-01-09">'
    above = "<p>Monday 3 August 2021 10:40 BST</p><p>Updated: 9 January 2025</p>"
    article = extract_html_article("tigris.html", _page("Tigris falls", head, above))
    assert article is not None and article.published == "2021-08-03"
    assert article.body.startswith("The water level")


@pytest.mark.parametrize(
    ("title", "publisher"),
    [
        ("Rudaw - Tigris falls to a low", "Rudaw"),
        ("Tigris falls | World news | The Guardian", "The Guardian"),
        ("Home", None),
        ("Mosul water crisis – live updates", None),
        ("Tigris falls to forty-year low", None),
    ],
)
def test_the_outlet_is_the_end_of_the_title_that_names_one(
    title: str, publisher: str | None
) -> None:
    article = extract_html_article("tigris.html", _page(title))
    assert article is not None and article.publisher == publisher


SHOWN = "Tigris falls to forty-year low at Mosul"  # the headline ``_page`` shows


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        (f"Opinion: {SHOWN}", SHOWN),
        (f"{SHOWN} - live updates", SHOWN),
        ("Tigris at a forty-year low", "Tigris at a forty-year low"),  # reworded: no label
    ],
)
def test_a_label_beside_the_headline_in_the_page_s_title_is_not_the_headline(
    title: str, headline: str
) -> None:
    head = f'<meta property="og:title" content="{title}">'  # the title trafilatura prefers
    article = extract_html_article("tigris.html", _page(title, head))
    assert article is not None and article.title == headline


def test_the_site_s_name_taken_out_of_the_page_s_title_gives_way_to_its_headline() -> None:
    # The headline stands in a styled <span>, not a heading, and trafilatura took the
    # site's part of the <title> for it.
    page = (
        "<html><head><title>Tigris Herald - Tigris falls to forty-year low at Mosul</title>"
        f"</head><body><h2>Tigris Herald</h2><span class='big'>{SHOWN}</span>"
        f"<div>{STORY}</div></body></html>"
    )
    article = extract_html_article("tigris.html", page)
    assert article is not None and article.title == SHOWN


def test_a_page_saved_as_text_is_read_as_the_page_it_is() -> None:
    page = "\n<!DOCTYPE html>\n" + _page("Rudaw - Tigris falls to a low")
    article, _ = read_article("tigris.txt", page)
    assert article.title == "Tigris falls to forty-year low at Mosul"
    assert article.publisher == "Rudaw" and "<p>" not in article.body


def test_a_timeline_s_dated_entries_are_story_and_an_update_does_not_date_the_page() -> None:
    entries = (
        "<p>17 October 2016: Iraqi and Kurdish forces launch the offensive</p>"
        "<p>24 January 2017: The eastern half of the city is declared liberated</p>"
    )
    article = extract_html_article("tigris.html", _page("Tigris falls", above=entries))
    assert article is not None and article.body.startswith("17 October 2016: Iraqi")
    head = '<meta property="article:modified_time" content="2017-03-05">'
    shown = "<p>Published 3 March 2017, updated 5 March 2017</p>"
    article = extract_html_article("tigris.html", _page("Tigris falls", head, shown))
    assert article is not None and article.published == "2017-03-03"


def test_an_xhtml_page_saved_as_text_is_read_as_a_page() -> None:
    page = "<?xml version='1.0' encoding='utf-8'?>\n" + _page("Tigris falls")
    article, _ = read_article("tigris.txt", page)
    assert "<p>" not in article.body and article.title.startswith("Tigris falls to forty")


def test_a_page_whose_text_is_its_links_is_refused_and_a_story_with_links_is_not() -> None:
    stories = "".join(
        f'<li><a href="/{n}">{headline}</a></li>'
        for n, headline in enumerate(
            [
                "Iraqi forces advance on the old city as civilians flee the fighting",
                "Commanders say the offensive will continue through the winter months",
                "Aid agencies warn of a crisis as camps fill beyond their capacity",
            ]
        )
    )
    front = f"<html><head><title>World | Courier</title></head><body><ul>{stories}</ul></body>"
    menu = '<html><body><nav><a href="/">Home</a><a href="/login">Sign in</a></nav></body>'
    for page in (front, menu):
        with pytest.raises(ValueError, match="its links"):
            read_article("page.html", page)
    linked = STORY.replace("the water ministry", '<a href="/m">the water ministry</a>')
    article, _ = read_article("tigris.html", _page("Tigris falls", below=f"<ul>{stories}</ul>"))
    assert "forty years" in article.body
    article, _ = read_article("tigris.html", _page("Tigris falls").replace(STORY, linked))
    assert "the water ministry said" in article.body


@pytest.mark.parametrize(
    ("language", "meta", "published"),
    [
        ("en-GB", "", "2017-07-03"),  # day first, as British English writes it
        ("ar", "", "2017-07-03"),
        ("en-US", "", "2017-03-07"),  # month first
        ("en", '<meta property="article:published_time" content="2017-07-03">', "2017-07-03"),
        ("en", "", "2017-03-07"),  # nothing to tell: month first, as before
    ],
)
def test_a_date_in_numbers_is_read_as_the_page_s_language_writes_it(
    language: str, meta: str, published: str
) -> None:
    page = _page("Tigris falls", meta, "<p>03/07/2017</p>").replace(
        "<html>", f'<html lang="{language}">'
    )
    article = extract_html_article("tigris.html", page)
    assert article is not None and article.published == published


def test_the_published_date_is_read_when_the_update_comes_first_on_its_line() -> None:
    shown = "<p>Updated 11:42 GMT, 14 July 2017 | Published 08:15 GMT, 12 July 2017</p>"
    article = extract_html_article("tigris.html", _page("Tigris falls", above=shown))
    assert article is not None and article.published == "2017-07-12"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("404", "<p>Sorry, the page you are looking for could not be found.</p>"),
        ("Page not found | Tigris Herald", "<p>The article may have been moved.</p>"),
        (
            "Kirkuk governor removed",
            "<div id='root'></div><noscript>x</noscript>"
            "<p>You need to enable JavaScript to run this app.</p><p>Loading…</p>",
        ),
    ],
)
def test_a_missing_page_or_an_app_s_empty_shell_is_refused(title: str, body: str) -> None:
    with pytest.raises(ValueError):
        read_article("page.html", f"<html><head><title>{title}</title></head><body>{body}</body>")


def test_a_page_no_article_is_found_in_is_dated_by_its_markup() -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2017-07-23"></head>'
        "<body><table><tr><td>Nineveh council approves plan</td></tr><tr><td>The council"
        " approved the plan on Sunday.</td></tr></table></body></html>"
    )
    article, _ = read_article("council.html", page)
    assert article.published == "2017-07-23"


def test_a_headline_taken_from_the_page_s_metadata_loses_the_site_s_name() -> None:
    head = (
        '<meta property="og:title" content="Tigris falls to a low - Rudaw.net">'
        '<meta property="og:site_name" content="Rudaw">'
    )
    article = extract_html_article("tigris.html", _page("Tigris falls", head))
    assert article is not None
    assert (article.title, article.publisher) == ("Tigris falls to a low", "Rudaw")


CONSENT = (
    "<div class='consent'><h2>Before you continue to Example News</h2>"
    "<p>Example News is part of the Example family of brands.</p>"
    "<p>When you use our sites and apps, we use cookies to provide our sites to you.</p>"
    "<p>If you click 'Accept all', we and our partners will also store and access"
    " personal data such as your IP address for personalised advertising.</p>"
    "<p>If you would like to customise your choices, click 'Manage privacy settings'.</p>"
    "<button>Accept all</button><button>Reject all</button></div>"
)


def test_a_consent_wall_saved_instead_of_the_article_is_refused() -> None:
    with pytest.raises(ValueError, match="consent notice"):
        read_article("page.html", f"<html><head><title>Example News</title></head>{CONSENT}")


def test_a_short_story_under_a_cookie_banner_is_kept() -> None:
    brief = (
        "<html><head><title>Depot blast</title></head><body><div class='banner'>We use"
        " cookies. <button>Accept all</button></div><article><h1>Depot blast</h1><p>An"
        " explosion was reported at an ammunition depot in Baghdad on Sunday, police"
        " said.</p></article></body></html>"
    )
    article, _ = read_article("brief.html", brief)
    assert article.body.startswith("An explosion was reported")


@pytest.mark.parametrize(
    ("head", "above", "below", "author"),
    [
        ("", '<span class="author">Admin</span>', "", None),  # the site's account
        ("", '<div class="author">Rudaw24</div>', "", None),  # the outlet, not a person
        ('<meta name="author" content="Bassam Za\'za\'">', "", "", "Bassam Za'za'"),
        ("", "<ul><li><strong>Author</strong> Chase Winter</li></ul>", "", "Chase Winter"),
        ("", "", "<footer><p>Theme by ThemeGrill. Powered by WordPress</p></footer>", None),
        ('<meta name="author" content="Sarah El Deeb July">', "", "", "Sarah El Deeb"),
        ('<meta name="author" content="Newsdesk">', "", "", None),  # a desk, not a person
        ("", '<div class="reporter">Reporter: Rebwar Kareem</div>', "", "Rebwar Kareem"),
        ("", "<p><i>Written by: Hassan Ali</i></p>", "", "Hassan Ali"),
        ('<meta name="author" content="Staff Writer">', "", "", None),
        ('<meta name="author" content="Nour Sabbagh · Published">', "", "", "Nour Sabbagh"),
        # the place reported from, then the reporter or the outlet
        ("", '<span class="author">Mosul - Ali Hussein</span>', "", "Ali Hussein"),
        ("", '<span class="author">الموصل - علي حسين</span>', "", "علي حسين"),
        ("", '<span class="author">Baghdad - Rudaw24</span>', "", None),
        ("", '<span class="author">Posted by <span itemprop="name">Nadia K.</span></span>', "",
         "Nadia K."),  # a name ending on an initial keeps its stop
    ],
)  # fmt: skip
def test_the_author_is_a_person_the_page_names(
    head: str, above: str, below: str, author: str | None
) -> None:
    head += '<meta property="og:site_name" content="Rudaw24">'
    article = extract_html_article("tigris.html", _page("Tigris falls", head, above, below))
    assert article is not None and article.author == author


def test_a_byline_under_a_live_page_s_first_entry_is_not_story() -> None:
    above = (
        "<p>Troops advanced overnight, commanders said.</p>"
        "<p>By Sebastian Usher, Jonathan Beale and Tom Spender</p>"
    )
    article = extract_html_article("live.html", _page("Tigris falls", above=above))
    assert article is not None and "Sebastian Usher" not in article.body


def test_a_section_front_of_teasers_is_refused_and_a_story_with_related_links_is_not() -> None:
    teasers = "".join(
        f'<article><h2><a href="/story-{n}">Headline {n} of another story</a></h2>'
        f"<p>The summary of story {n}, one line under its headline.</p></article>"
        for n in range(5)
    )
    with pytest.raises(ValueError, match="list of stories"):
        read_article("front.html", f"<html><body><h1>Middle East</h1>{teasers}</body></html>")
    related = teasers.replace("<article>", '<aside class="related">')
    article, _ = read_article("story.html", _page("Tigris falls", below=related))
    assert article.body.startswith("The water level")


def test_what_stands_above_the_headline_in_the_text_is_not_story_and_may_date_it() -> None:
    page = (
        "<html><head><title>Plants to be restored</title></head><body><article>"
        "<p>News provided by</p><p>Jul 19, 2017, 08:00 ET</p><h1>Plants to be restored</h1>"
        f"{STORY}</article></body></html>"
    )
    article = extract_html_article("release.html", page)
    assert article is not None and article.published == "2017-07-19"
    assert article.body.startswith("The water level")


def test_a_long_consent_notice_is_refused_too() -> None:
    notice = (
        "<p>Example News and our 187 partners store and access information on your device,"
        " such as cookies, and process personal data for personalised ads and content, ad"
        " and content measurement, audience insights and product development. "
        + "With your permission we and our partners may use precise geolocation data. " * 4
        + "</p>"
    )
    page = f"<html><head><title>We value your privacy</title></head><body>{notice}{CONSENT}"
    with pytest.raises(ValueError, match="consent notice"):
        read_article("page.html", page + "</body></html>")


def test_a_sign_in_wall_is_refused_and_a_teaser_above_a_paywall_is_kept() -> None:
    wall = (
        "<p>Subscriber content</p><p>Sign in to continue reading</p><p>This article is"
        " available to subscribers only. Please sign in with your account.</p>"
    )
    with pytest.raises(ValueError, match="sign in or subscribe"):
        read_article("wall.html", f"<html><head><title>Oil exports</title></head><body>{wall}")
    article, _ = read_article("teaser.html", _page("Tigris falls", below=wall))
    assert article.body.startswith("The water level")


def test_a_date_in_the_headline_does_not_date_the_page() -> None:
    page = (
        "<html><head><title>Kurds vote on 25 September 2017</title>"
        '<meta property="article:published_time" content="2017-09-20"></head><body><article>'
        f"<p>Referendum</p><h1>Kurds vote on 25 September 2017</h1>{STORY}</article></body>"
    )
    article = extract_html_article("vote.html", page)
    assert article is not None and article.published == "2017-09-20"


def test_the_outlet_beside_a_headline_that_is_the_whole_title_or_in_the_copyright_line() -> None:
    title = "Basra protests spread :: Southern Iraq Monitor"
    page = (
        f"<html><head><title>{title}</title></head><body><article>{STORY}</article>"
        "<footer><p>© 2018 Southern Iraq Monitor</p></footer></body></html>"
    )
    article = extract_html_article("basra.html", page)
    assert article is not None
    assert (article.title, article.publisher) == ("Basra protests spread", "Southern Iraq Monitor")
    footer = "<footer><p>© 2018 The Hudson Gazette</p><p>© Getty Images</p></footer>"
    page = f"<html><head><title>Talks stall</title></head><body><article>{STORY}</article>"
    for host, outlet in (("hudsongazette.com", "The Hudson Gazette"), ("example.org", None)):
        article = extract_html_article("talks.html", page + footer, url=f"https://{host}/a")
        assert article is not None and article.publisher == (outlet or host)


def test_a_dashed_date_under_the_headline_is_read_the_way_its_weekday_says() -> None:
    head = '<meta property="article:published_time" content="2016-12-01">'
    above = "<p>Sunday, 04-12-2016 14:32</p>"
    article = extract_html_article("salaries.html", _page("Salaries", head, above))
    assert article is not None and article.published == "2016-12-04"


def test_a_story_inside_an_inline_frame_is_read_as_the_browser_shows_it() -> None:
    inner = (
        "<html><head><style>p{margin:0}</style></head><body><h1>Tigris falls</h1>"
        f"<p>By Hana Yousif</p>{STORY}<script>resize()</script></body></html>"
    )
    page = (
        "<html><head><title>Tigris falls</title></head><body><nav><a href='/'>Home</a></nav>"
        f'<iframe title="Tigris falls" srcdoc="{escape(inner)}"></iframe>'
        "<footer>© 2019 Tigris Herald</footer></body></html>"
    )
    article, _ = read_article("frame.html", page)
    assert article.body.startswith("The water level") and "resize" not in article.body
    assert article.author == "Hana Yousif"


# Paragraphs long enough for a table's cell to lay out a page (``LAYOUT_CELL_WORDS``)
PARAGRAPHS = [
    f"Paragraph {n} of the story: the water level of the Tigris at Mosul fell again"
    f" this week, and farmers south of the city said they had not been able to"
    f" irrigate their wheat fields, officials of the water ministry said on day {n}."
    for n in range(1, 5)
]


def test_a_story_in_a_table_that_lays_out_the_page_is_read_as_paragraphs() -> None:
    menu = "".join(f"<td><a href='/s/{n}'>{n}</a></td><td>|</td>" for n in ("HOME", "IRAQ"))
    page = (
        "<html><head><title>Tigris Herald</title></head><body><table><tr><td colspan=2>"
        f"<table><tr>{menu}</tr></table></td></tr><tr><td><span>Tigris falls</span><br>"
        f"<font>{'<br><br>'.join(PARAGRAPHS)}</font></td><td>Most read<br><a href='/a'>"
        "Dinar steady</a></td></tr></table></body></html>"
    )
    article, _ = read_article("layout.html", page)
    assert set(PARAGRAPHS) <= set(article.body.split("\n\n"))
    assert "HOME" not in article.body


def test_a_page_written_in_lines_ended_by_breaks_is_read_line_by_line() -> None:
    # Before paragraphs were marked: the section's label and date, the headline and the
    # byline each end on a <br>, and trafilatura ran them into one line of the story.
    page = (
        "<html><head><title>Tigris falls to forty-year low at Mosul - Tigris Herald</title>"
        "</head><body><table><tr><td>"
        "<font size=1>WATER &raquo; Monday, December 12, 2016</font><br>"
        "<font size=5><b>Tigris falls to forty-year low at Mosul</b></font><br>"
        "<font size=2><i>Written by: Hassan Ali</i></font><br><br>"
        f"<font size=3>{'<br><br>'.join(PARAGRAPHS)}</font><br><br>"
        "<font size=1>Story ID: 40215 | Views: 842</font><br>"
        "<font size=2><b>Reader comments (2)</b></font><br>"
        "<font size=1><b>Ahmed, Baghdad:</b> God help them, where is the money?</font>"
        "</td></tr></table></body></html>"
    )
    article, _ = read_article("lines.html", page)
    assert (article.title, article.author, article.published) == (
        "Tigris falls to forty-year low at Mosul",
        "Hassan Ali",
        "2016-12-12",
    )
    assert article.body.split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize(
    ("byline", "credit", "author"),
    [
        ('<meta name="author" content="newsdesk">', "Karim Nassar; Editing by Ruth Calder",
         "Karim Nassar"),
        ("<p>By Crescent Wire Service</p>", "Emre Dalkılıç in Akcakale and Leyla Haddad in"
         " Beirut; Editing by Ruth Calder", "Emre Dalkılıç and Leyla Haddad"),
    ],
)  # fmt: skip
def test_a_wire_story_s_reporters_are_read_from_its_credit_line(
    byline: str, credit: str, author: str
) -> None:
    credit = f"<p>(Reporting by {credit})</p><p>Source: LPA</p>"
    head, above = (byline, "") if byline.startswith("<meta") else ("", byline)
    page = _page("Tigris falls", head, above=above)
    page = page.replace("</article>", f"{credit}</article>")
    article, _ = read_article("wire.html", page)
    assert article.author == author
    assert article.body.endswith("wheat fields for a month.")


def test_authors_named_surname_first_in_scholarly_tags_are_read_given_name_first() -> None:
    head = "".join(
        f'<meta name="citation_author" content="{name}">'
        for name in ("Marchetti, Helen", "Baban, Aras")
    )
    article = extract_html_article("dam.html", _page("Tigris falls", head))
    assert article is not None and article.author == "Helen Marchetti; Aras Baban"


def test_persian_text_keeps_its_zero_width_non_joiners() -> None:
    sentence = "امسال دوباره آب را می\u200cبینیم و پرندگان برگشته\u200cاند، گفت کشاورز."
    story = "".join(f"<p>{sentence} {n}</p>" for n in range(12))
    page = f"<html lang='fa'><head><title>دریاچه</title></head><body><article>{story}</article>"
    article, _ = read_article("lake.html", page.encode("utf-8").decode("utf-8"))
    assert sentence in article.body  # a word written apart, or refused as binary, before


@pytest.mark.parametrize(
    "named",
    [
        '<a href="/"><img src="/logo.png" alt="Nineveh Today"></a>',
        '<div itemprop="publisher"><meta itemprop="name" content="Nineveh Today"></div>',
    ],
)
def test_the_outlet_is_the_name_the_host_spells_in_the_logo_or_the_microdata(named: str) -> None:
    page = _page("Tigris falls", above="").replace("<body>", f"<body>{named}")
    url = "https://www.ninevehtoday.com/en/news/2017/tigris-falls"
    article = extract_html_article("tigris.html", page, url)
    assert article is not None and article.publisher == "Nineveh Today"


@pytest.mark.parametrize("label", ["ENERGY", "HUMANITARIAN »", "Iraq ›"])
def test_a_section_s_label_above_the_story_is_not_story(label: str) -> None:
    article = extract_html_article("tigris.html", _page("Tigris falls", above=f"<p>{label}</p>"))
    assert article is not None and article.body.startswith("The water level")


def test_the_author_s_name_alone_above_the_date_is_the_byline() -> None:
    above = "<p><b>Noor Haddad</b><br>Published: Monday, April 23, 2018, 8:41 PM</p>"
    head = '<meta property="article:published_time" content="2018-04-24T00:41:00Z">'
    article = extract_html_article("nuri.html", _page("Tigris falls", head, above=above))
    assert article is not None and article.body.startswith("The water level")
    assert (article.author, article.published) == ("Noor Haddad", "2018-04-23")


def test_the_headline_repeated_without_the_site_s_name_and_the_outlet_s_note_go() -> None:
    title = "Tigris falls to forty-year low at Mosul :: Southern Iraq Monitor"
    note = "<p>Southern Iraq Monitor is an independent news service. Reproduction permitted.</p>"
    article = extract_html_article(
        "tigris.html", _page(title, below="").replace("</article>", f"{note}</article>")
    )
    assert article is not None and article.publisher == "Southern Iraq Monitor"
    assert article.body.startswith("The water level") and "independent" not in article.body
