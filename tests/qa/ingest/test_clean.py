import pytest

from qa.ingest.clean import is_debris_line, strip_debris, without_author_note

ARTICLE = [f"Sentence {i} of the story about the offensive." for i in range(8)]


def test_view_counters_share_links_and_copyright_lines_are_debris() -> None:
    for line in (
        "Views: 1491",
        "Short link:",
        "© 2010 Ahram Online.",
        "Last Update 9:40",
        "Copyright 2017 Example News",
        "For media inquiries: [email protected]",
    ):
        assert is_debris_line(line), line


def test_article_sentences_are_not_debris() -> None:
    assert not is_debris_line("Iraqi forces on Friday entered west Mosul neighborhoods.")
    assert not is_debris_line("The Hashed's mission will be to cut off the escape of IS.")


def test_comment_form_at_the_end_is_cut_whole() -> None:
    lines = [
        *ARTICLE,
        "",
        "Leave a Reply",
        "",
        "Fill in your details below",
        "Twitter picture",
        "You are commenting using your Twitter account. Log Out /  Change )",
        "Connecting to %s",
    ]
    assert strip_debris(lines) == ARTICLE


def test_donation_appeal_and_disclaimer_at_the_end_are_cut() -> None:
    lines = [
        *ARTICLE,
        "If you’re able, and if you like our content and approach, please support.",
        "Articles by: South Front",
        "Disclaimer: The contents of this article are ...",
    ]
    assert strip_debris(lines) == ARTICLE


def test_cookie_notice_is_removed() -> None:
    lines = [
        *ARTICLE,
        "This website uses cookies, you can find out more here.",
        "By continuing to use this website, you agree to our Privacy Policy.",
    ]
    assert strip_debris(lines) == ARTICLE


def test_the_box_about_the_author_below_the_story_is_cut() -> None:
    bio = "Simon Hale is the weekly's Middle East correspondent. He has reported since 2009."
    lines = [*ARTICLE, "About the author", bio, "Support independent journalism"]
    assert strip_debris(lines) == ARTICLE


def test_a_tail_marker_near_the_top_does_not_cut_the_story() -> None:
    lines = ["Leave a comment", *ARTICLE]
    assert strip_debris(lines) == ARTICLE


def test_last_update_timestamp_line_goes_with_it() -> None:
    lines = ["Last Update 9:40", "Sunday, 05 April 2020", "", *ARTICLE]
    assert strip_debris(lines) == ARTICLE


def test_promotions_of_other_stories_and_appeals_mid_story_are_debris() -> None:
    for line in (
        "READ MORE: Man charged after Armley stabbing",
        "See also: Kirkuk curfew lifted",
        "Continue reading the main story",
        "Found in: Sunni Arabs, Nineveh, Mosul",
        "Sign up for our free newsletter, sent every weekday at 6am.",
        "Get the Middle East briefing in your inbox",
        "Since you're here …",
        "… we have a small favour to ask.",
        "You need to enable JavaScript to run this app.",
        "Loading…",
    ):
        assert is_debris_line(line), line
    for line in (
        "Read more about the offensive, the general told reporters, in the coming days.",
        "Related groups joined the fighting on Tuesday.",
        "Loading the trucks took three hours.",
    ):
        assert not is_debris_line(line), line


def test_credits_tip_lines_and_tweet_signatures_are_debris() -> None:
    for line in (
        "Reporting by Maher Chmaytelli and Ahmed Rasheed; Additional reporting by Stephen"
        " Kalin in Baghdad; Editing by Giles Elgood",
        "Editing by Giles Elgood",
        "CNN's Hamdi Alkhshali contributed to this report.",
        "Do you have a story for us? Email newsdesk@example.co.uk or call 0113 238 8433.",
        "— Brett McGurk (@brett_mcgurk) July 10, 2017",
        "- Iraqi PM Media Office (@IraqiPMO) Jul 9, 2017",
        "Support the Guardian",
        "All times stated are UK",
        "All pictures subject to copyright.",
        "Filed on 3 July 2017 at 17:45 ET",
        "___",
    ):
        assert is_debris_line(line), line
    for line in (
        "Reporting by Reuters found that 40 civilians died in the strike.",
        "Editing by hand took the archivists months, the curator said, before the exhibition"
        " could open to the public.",
        "Do you have a family in the camp, the aid worker asked each arrival.",
        "— and then the shelling stopped, a resident said (@resident on Twitter).",
        "Support the families of the missing, the governor urged donors on Sunday.",
        "All times were approximate, the officer said, because the radios had failed.",
        "Filed on 3 July, the lawsuit accuses the ministry of failing to pay the contractors"
        " for work done in 2016.",
    ):
        assert not is_debris_line(line), line


def test_an_embedded_tweets_picture_link_is_taken_out_of_its_text() -> None:
    lines = [*ARTICLE, "PM Abadi arrives in liberated Mosul pic.twitter.com/xYz123", *ARTICLE]
    assert strip_debris(lines)[len(ARTICLE)] == "PM Abadi arrives in liberated Mosul"


def test_a_list_of_other_stories_ends_the_story_even_near_its_top() -> None:
    lines = [*ARTICLE[:3], "Recommended Articles", *(f"Headline {i}" for i in range(6))]
    assert strip_debris(lines) == ARTICLE[:3]
    # ... but not where a paragraph of the story follows it
    lines = [*ARTICLE[:3], "Recommended Articles", "Headline 1", *ARTICLE[3:]]
    assert "Headline 1" in strip_debris(lines)


def test_the_note_on_the_author_at_the_end_goes() -> None:
    note = "Dana Reed is a reporter covering Iraq. She was previously at the Herald."
    assert without_author_note([*ARTICLE, note], "Dana Reed") == ARTICLE
    assert without_author_note([*ARTICLE, note], "Hana Yousif") == [*ARTICLE, note]
    early = "Dana Reed is a reporter who was there when the offensive began."
    assert without_author_note([early, *ARTICLE], "Dana Reed") == [early, *ARTICLE]


def test_the_page_s_chrome_below_the_story_goes_and_a_closing_list_stays() -> None:
    chrome = [
        "More on this story",
        "Europe scrambles to save Iran deal after US exit",
        "Share",
        "Most popular",
        "1",
        "Royal wedding: the final preparations",
        "About us",
        "Privacy policy",
        "© 2018 Continental Times Ltd. All rights reserved.",
    ]
    assert strip_debris([*ARTICLE, *chrome]) == ARTICLE
    # A story that closes on a list of short items, with no footer below it, keeps it
    closing = ["Key figures:", "Displaced: 920,000", "Returned: 251,000", "Share of city: 70%"]
    assert strip_debris([*ARTICLE, *closing]) == [*ARTICLE, *closing]


def test_tags_ratings_source_credits_and_donation_buttons_are_debris() -> None:
    for line in (
        "Filed under: Iraq, Water quality, Shatt al-Arab",
        "Tags: referendum, Gorran",
        "Rate this fact-check:",
        "Was this article helpful?",
        "Source: LPA",
        "Support independent environmental journalism",
        "Give now",
        "Photograph: Arash Karimi for Continental Times",
        "(Photo by Firas Haddad / WBO)",
        "Riverline is funded by readers. If you value it, please consider a monthly gift.",
    ):
        assert is_debris_line(line), line
    assert not is_debris_line("Source: a senior official told reporters the talks had stalled.")
    caption = "Smoke rises as the army pushes into Topzawa village, October 24 (Photo: Reuters)"
    assert not is_debris_line(caption)  # readers ask what a photo shows


@pytest.mark.parametrize("heading", ["Comments (4)", "Yorumlar (4)", "12 commentaires"])
def test_a_comment_section_ends_the_story_in_any_of_its_languages(heading: str) -> None:
    assert strip_debris([*ARTICLE, heading, "Çocukluğumuz orada geçti, çok yazık."]) == ARTICLE


@pytest.mark.parametrize(
    "line",
    [
        "Lire aussi : Les Kurdes votent pour l'indépendance",
        "Mehr zum Thema: Kirkuk nach dem Referendum",
        "اقرأ أيضاً: فرق الدفاع المدني تواصل رفع الأنقاض",
        "بیشتر بخوانید: سیل فروردین؛ خسارت به ۲۵ استان کشور",
        "Zêdetir bixwîne: Li Koço kolandin dest pê kir",
        "Continue reading below",
        "Printer-friendly version",
        "Log in or register to post comments",
        "6 min read",
        "Read original · Syria Dispatch · by Joudi Hamdan",
        "This story was automatically published from a syndicated wire feed.",
        "Read the original article at Crescent Wire Service",
        "- Advertisement -",
        "Listen to this article",
        "Excerpt",
        "media@petronor-energy.com",
        "+971 4 555 0192",
        "4 min",
        "Facebook",
        "Megan Ortiz can be reached at megan.ortiz@example.com. Follow her on Twitter @mo.",
        "Follow her on Twitter @meganortizBC.",
        "For more information, please contact: Daniel Frost, +964 751 000 0000",
    ],
)
def test_links_to_other_stories_and_a_site_s_notes_are_debris_in_any_language(line: str) -> None:
    assert is_debris_line(line)


@pytest.mark.parametrize(
    "heading",
    ["Cite this article", "Highlights (2)", "My notes", "Notes to editors", "Media Contact:"],
)
def test_a_citation_box_or_a_read_later_copy_s_own_notes_end_the_story(heading: str) -> None:
    assert strip_debris([*ARTICLE, heading, "check the 547k figure against DGMM stats."]) == ARTICLE


def test_the_chrome_under_a_story_goes_from_its_first_sign_and_listed_links_are_debris() -> None:
    tail = [
        "Topics",
        "Iran Sanctions",
        "Renas Fuad",
        "Follow",
        "Related stories",
        "Sulaimani bazaar traders stock up ahead of sanctions deadline",
        "Newsletter: The Weekly Ledger",
        "Get the week's business news from Kurdistan and Iraq every Friday.",
        "Sign up",
        "Privacy policy",
        "© 2018 Zagros Business Review. All rights reserved.",
    ]
    closing = '"I will be happy if I cross once."'
    assert strip_debris([*ARTICLE, closing, *tail]) == [*ARTICLE, closing]
    assert strip_debris([*ARTICLE, "- Printer-friendly version", "- Share"]) == ARTICLE


def test_a_caption_s_label_run_into_it_goes_and_its_words_stay() -> None:
    caption = "Image captionThe old city of Mosul, seen from the air on Wednesday."
    assert strip_debris([caption, *ARTICLE]) == [caption.removeprefix("Image caption"), *ARTICLE]
