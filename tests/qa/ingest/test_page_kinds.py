"""Pages that hold no article are refused with a reason; short stories beside them are kept.

Each page goes through ``read_article``, as ``qa ingest`` and ``POST /api/documents``
read it, so trafilatura's reading of the page is part of what is tested.
"""

from __future__ import annotations

import pytest

from qa.ingest.pipeline import read_article

STUB = (
    "<p>Iraqi forces have entered the al-Nuri mosque compound in Mosul's Old City, a"
    " military spokesman said on Thursday. More follows.</p>"
)
NAV = "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/iraq'>Iraq</a></nav>"


def _page(head: str, body: str, title: str = "Forces enter mosque compound") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{NAV}{body}</body></html>"


def test_a_notice_that_the_page_has_moved_is_refused_with_the_new_address() -> None:
    moved = "https://news.example.com/2019/06/20/drone-downed"
    page = _page(
        f'<meta http-equiv="refresh" content="5; url={moved}">',
        "<h1>This page has moved</h1><p>The article you are looking for now has a new"
        " address. You will be redirected in 5 seconds.</p><p>Please update your bookmarks.</p>",
        title="This page has moved",
    )
    with pytest.raises(ValueError, match=f"moved, to {moved}"):
        read_article("moved.html", page)


def test_a_live_page_that_reloads_itself_is_kept() -> None:
    page = _page('<meta http-equiv="refresh" content="300">', f"<article>{STUB}</article>")
    article, _ = read_article("live.html", page)
    assert article.body.startswith("Iraqi forces have entered")


def test_a_list_of_stories_is_refused_and_a_breaking_stub_kept() -> None:
    days = "".join(
        f"<li><a href='/2017/03/{d:02d}/story'>Fighting in west Mosul, day {d} of the"
        f" offensive in pictures</a></li>"
        for d in range(1, 16)
    )
    listing = _page("", f"<h1>March 2017</h1><ul>{days}</ul>", title="March 2017")
    with pytest.raises(ValueError, match="its links"):
        read_article("listing.html", listing)
    article, _ = read_article("stub.html", _page("", f"<article><h1>Forces enter</h1>{STUB}"))
    assert article.body.endswith("More follows.")


def test_a_line_of_text_above_an_archive_s_calendar_and_lists_is_refused() -> None:
    calendar = "".join(
        f"<td><a href='/archive/2017/03/{d:02d}/'>{d}</a></td>" for d in range(1, 32)
    )
    days = "".join(
        f"<section><h2>{d} March 2017</h2><ul><li><a href='/news/2017/03/{d:02d}/a'>Iraqi"
        f" forces push into the Old City from the south-west</a> <span>Nineveh</span></li>"
        f"<li><a href='/news/2017/03/{d:02d}/b'>Bread prices triple in besieged west Mosul"
        f"</a> <span>Iraq</span></li></ul></section>"
        for d in range(31, 25, -1)
    )
    archive = _page(
        "",
        "<main><h1>March 2017</h1><p>Browse every story we published, by day."
        f" Select a date in the calendar or scroll the list below.</p><table><tr>{calendar}"
        f"</tr></table>{days}</main>",
        title="March 2017",
    )
    with pytest.raises(ValueError, match="its links"):
        read_article("archive.html", archive)


PODCAST_HEAD = (
    '<meta property="og:type" content="music.song"><script type="application/ld+json">'
    '{"@context": "https://schema.org", "@type": "PodcastEpisode", "name": "Ep. 47"}</script>'
)
EPISODES = "".join(
    f"<li><a href='/ep/{n}'>Ep. {n}: The week in Iraqi politics</a> · 40 min</li>"
    for n in (44, 45, 46)
)


def test_a_podcast_episode_s_page_is_refused_and_a_video_with_its_transcript_kept() -> None:
    notes = (
        "<p>Two years after the battle, Raqqa is still largely in ruins. We talk to a"
        " researcher and a former council engineer about who is paying to rebuild it.</p>"
        f"<h2>More episodes</h2><ul>{EPISODES}</ul>"
    )
    podcast = _page(PODCAST_HEAD, f"<main><h1>Ep. 47: Who will pay?</h1>{notes}</main>")
    with pytest.raises(ValueError, match="podcast episode"):
        read_article("podcast.html", podcast)
    transcript = "".join(
        f"<p>Transcript, part {n}. Iraqi forces have entered the compound of the al-Nuri"
        f" mosque in Mosul's Old City, the military spokesman said on day {n}.</p>"
        for n in range(1, 5)
    )
    video_head = PODCAST_HEAD.replace("music.song", "video.other").replace(
        "PodcastEpisode", "VideoObject"
    )
    article, _ = read_article("video.html", _page(video_head, f"<main>{transcript}</main>"))
    assert "al-Nuri mosque" in article.body


def test_a_short_story_with_a_video_is_kept_when_the_page_says_it_is_an_article() -> None:
    head = PODCAST_HEAD.replace("PodcastEpisode", "NewsArticle")
    article, _ = read_article("brief.html", _page(head, f"<article>{STUB}</article>"))
    assert article.body.startswith("Iraqi forces have entered")


@pytest.mark.parametrize(
    ("schema", "body", "kind"),
    [
        ("ImageGallery", "<p>1 / 12</p><p>All photographs © Rebwar Sdiq.</p>", "photo gallery"),
        (
            "CollectionPage",
            "<p>Iraq's second-largest city was held by the Islamic State group from June 2014"
            " until July 2017, when Iraqi forces declared victory after a nine-month battle"
            " that destroyed much of its western half. Our reporting on its recovery, its"
            " politics and its people is collected here, newest first, with the stories of"
            " the camps around it.</p>"
            f"<ul>{EPISODES}</ul>",
            "list of stories",
        ),
    ],
)
def test_a_gallery_or_a_topic_page_that_says_so_is_refused(
    schema: str, body: str, kind: str
) -> None:
    head = PODCAST_HEAD.replace("music.song", "website").replace("PodcastEpisode", schema)
    with pytest.raises(ValueError, match=f"is a {kind}"):
        read_article("page.html", _page(head, f"<main><h1>Mosul</h1>{body}</main>"))


@pytest.mark.parametrize(
    "title", ['Search results for "mosul reconstruction"', "Tag: Mosul", "Archive: March 2017"]
)
def test_a_page_titled_as_a_list_of_stories_is_refused(title: str) -> None:
    blurbs = "".join(
        f"<p>{n} March 2017. Iraqi forces pushed further into the Old City of west Mosul on"
        f" the {n}th day of the offensive, officials said.</p>"
        for n in range(1, 5)
    )
    with pytest.raises(ValueError, match="list of stories"):
        read_article("list.html", _page("", f"<main><h1>{title}</h1>{blurbs}</main>", title))
    # ... but a story titled with such a word is one
    article, _ = read_article("results.html", _page("", f"<article>{STUB}</article>", "Results"))
    assert "al-Nuri mosque" in article.body
