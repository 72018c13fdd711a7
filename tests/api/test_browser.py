"""The chat page in a real headless Chromium (Debian's), against the real API on loopback."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from api.app import create_app
from qa.service import QAService
from qa.settings import Settings
from tests.helpers import DATA, SEEDS, page_server, serving

pytestmark = pytest.mark.integration

KEY = "browser-key"
CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by `make test`; never downloaded
# Flags for a closed network: no background requests to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = """Museum visitors' book defaced
March 4, 2019

The curator said a visitor wrote <img src=x onerror="window.pwned=1"> in the visitors' book
of the Mosul museum.
Another visitor wrote <script>window.pwned=2</script> on the museum's guest page.
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embed_model) -> QAService:  # type: ignore[no-untyped-def]
    settings = Settings(
        store_dir=tmp_path_factory.mktemp("browser") / "store",
        api_key=KEY,
        allow_private_urls=True,
    )
    service = QAService(settings, embed_model)
    service.ingest([SEEDS, DATA / "floods"], progress=False)
    service.add_article("museum.txt", HOSTILE.encode())
    return service


@pytest.fixture(scope="module")
def base_url(service: QAService) -> Iterator[str]:
    with serving(create_app(service=service)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _ask(page: Page, question: str) -> None:
    answers = page.locator("#log li.assistant")
    before = answers.count()
    page.fill("#question", question)
    page.keyboard.press("Enter")  # the keyboard path: Enter sends
    expect(answers).to_have_count(before + 1)
    expect(answers.last).not_to_have_class("assistant pending", timeout=30_000)


def _chat_requests(page: Page) -> list[dict]:
    """The bodies the page posts to /api/chat, as it sends them."""
    sent: list[dict] = []
    page.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data or "{}")) if r.url.endswith("/api/chat") else None
        ),
    )
    return sent


def test_a_conversation_with_citations_follow_up_and_abstention(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    sent = _chat_requests(page)
    page.goto(base_url)
    expect(page.locator("#status")).to_contain_text("9 articles indexed")

    with page.expect_response(lambda r: r.url.endswith("/api/chat")) as chat:
        _ask(page, "Who is Jawwad al-Tulaibawi?")
    answer = page.locator("#log li.assistant").last
    expect(answer).to_contain_text("spokesman for the Asaib Ahl al-Haq militia")
    expect(answer.locator(".label")).to_have_text("Answer · quoted")
    # The page renders only what it parses from SSE events (no other path to an answer).
    assert chat.value.headers["content-type"].startswith("text/event-stream")
    # A screen reader hears the finished answer once, not the log re-read at every word.
    expect(page.locator("#announcer")).to_contain_text("Answer, from 1 source: ")
    expect(page.locator("#announcer")).to_contain_text("spokesman for the Asaib Ahl al-Haq")
    assert page.locator("[aria-live], [aria-busy]").count() == 0
    chip = answer.locator("button.chip").first
    expect(chip).to_be_enabled()
    chip.click()
    source = page.locator("details.source[open]")
    expect(source).to_have_count(1)
    expect(source.locator(".title")).to_have_text("Coalition huddles as forces inch towards Mosul")
    # The sentences the answer quotes from the passage are marked, the answering one too.
    marked = source.locator("mark")
    expect(marked.filter(has_text="Jawwad al-Tulaibawi, spokesman")).to_have_count(1)
    expect(source.locator("summary")).to_be_focused()

    _ask(page, "Which militia does he speak for?")
    first, reply = sent[-1]["history"]  # the follow-up travels with the conversation
    assert first == {"role": "user", "content": "Who is Jawwad al-Tulaibawi?"}
    assert reply["role"] == "assistant" and "Asaib Ahl al-Haq militia" in reply["content"]
    expect(page.locator("#log li.assistant").last).to_contain_text("Asaib Ahl al-Haq")

    _ask(page, "What is the capital of Australia?")
    abstention = page.locator("#log li.assistant").last
    expect(abstention).to_have_class("assistant abstention")
    expect(abstention).to_contain_text("The articles don't say")
    expect(abstention.locator(".label")).to_have_text("Not in the articles")
    expect(abstention.locator("button.chip")).to_have_count(0)
    expect(abstention.locator(".nearest")).to_have_count(0)  # nothing indexed is near it
    expect(page.locator("#announcer")).to_contain_text(
        "Not in the articles: The articles don't say."
    )

    _ask(page, "Which hospital treated the soldiers wounded in the Jawsaq fighting?")
    near = page.locator("#log li.assistant").last
    expect(near).to_have_class("assistant abstention")
    expect(near.locator(".nearest-label")).to_contain_text("may not answer")
    quote = near.locator("button.nearest-quote").filter(has_text="Jawsaq").first
    quote.click()
    opened = page.locator("details.source[open]")
    expect(opened.locator("mark")).to_contain_text("Jawsaq")

    page.screenshot(path=tmp_path / "chat.png", full_page=True)
    assert (tmp_path / "chat.png").stat().st_size > 10_000
    page.close()


def test_markup_in_articles_is_shown_as_text_never_run(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone's width
    page.goto(base_url)
    _ask(page, "What did a visitor write in the visitors' book of the Mosul museum?")
    answer = page.locator("#log li.assistant").last
    expect(answer).to_contain_text('<img src=x onerror="window.pwned=1">')
    answer.locator("button.chip").first.click()
    expect(page.locator("details.source[open] .quote")).to_contain_text(
        "<script>window.pwned=2</script>"
    )
    assert page.locator("#log img, .sources img, .sources script, #log script").count() == 0
    assert page.evaluate("window.pwned") is None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    page.close()


def test_figures_that_differ_and_overviews_show_each_source_s_date(
    browser: Browser, base_url: str
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(base_url)
    _ask(page, "How many families were displaced by the floods?")
    answer = page.locator("#log li.assistant").last
    expect(answer).to_contain_text("As of 2 March 2021 (Northern Herald)")
    dates = answer.locator(".when")
    expect(dates).to_have_count(2)  # one beside each cited figure
    expect(dates.nth(0)).to_have_text("2 Mar 2021")
    expect(dates.nth(1)).to_have_text("9 Mar 2021")
    expect(page.locator(".sources .meta").first).to_contain_text("2 Mar 2021")  # as beside [n]

    _ask(page, "How many meters long was the underground Abu Massoud camp?")
    undated = page.locator("#log li.assistant").last
    expect(undated.locator(".when").first).to_have_text("undated")  # not a bare marker
    assert set(undated.locator(".when").all_text_contents()) == {"undated"}
    expect(page.locator(".sources .meta").first).to_have_text(
        "globalresearch.ca · undated · 003_cfdb91c2d4b0977c.txt"
    )
    _ask(page, "How many ISIS militants were left in Mosul according to Colonel Dorrian?")
    expect(page.locator(".sources .meta").first).to_have_text(  # no outlet: its author
        "Madeline Patrick · 6 May 2017 · 000_8ae4ba73e080a6d3.txt"
    )

    _ask(page, "Give me an overview of the Sava floods")
    overview = page.locator("#log li.assistant").last
    expect(overview.locator(".label")).to_have_text("Answer · quoted")
    assert overview.locator("button.chip").count() >= 2
    shown = overview.locator(".when").all_text_contents()
    assert len(set(shown)) >= 2, shown  # two or more articles, each with its date
    page.close()


def _archive(browser: Browser, base_url: str) -> tuple[Page, Locator]:
    """The page with its archive panel open, and the rows of its nine articles."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(base_url)
    page.locator("#archive > summary").click()
    rows = page.locator("#articles-body tr")
    expect(rows).to_have_count(9)
    return page, rows


def test_the_archive_lists_opens_adds_a_page_and_deletes_it(
    browser: Browser, base_url: str
) -> None:
    page, rows = _archive(browser, base_url)
    herald = page.locator('#articles-body tr[data-id="early.txt"]')
    expect(herald).to_contain_text("Northern Herald")
    expect(herald).to_contain_text("2 Mar 2021")

    herald.locator("button.link").focus()
    page.keyboard.press("Enter")
    reader = page.locator("#reader")
    expect(reader).to_be_visible()
    expect(reader.locator("#reader-title")).to_have_text(
        "Floods cut the Sava valley road as river bursts its banks"
    )
    expect(reader.locator("#reader-title")).to_be_focused()  # the keyboard is taken there
    expect(reader.locator(".passage-start").first).to_have_text("¶1")
    expect(reader.locator("#reader-text")).to_contain_text("1,200 families had been displaced")
    page.locator("#reader-close").click()
    expect(herald.locator("button.link")).to_be_focused()  # and back where it was

    with page_server(DATA / "pages") as site:
        page.fill("#add-url", f"{site}/dateline.html")
        page.locator("#add-send").click()
        expect(page.locator("#add-status")).to_contain_text("a valid API key is required")
        page.fill("#api-key", KEY)
        page.fill("#add-url", f"{site}/dateline.html")
        page.locator("#add-send").click()
        expect(page.locator("#add-status")).to_contain_text("added")
    added = page.locator('#articles-body tr[data-id="127.0.0.1_dateline.html"]')
    expect(added).to_contain_text("Drava Today")
    expect(rows).to_have_count(10)
    _ask(page, "How much will the repairs to the Drava bridge cost?")
    expect(page.locator("#log li.assistant").last).to_contain_text("800,000 euros")

    delete = added.get_by_role(
        "button", name="Delete Bridge inspectors find cracks in Drava crossing"
    )
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; "Cancel" keeps it
    delete.click()
    expect(rows).to_have_count(10)
    page.once("dialog", lambda dialog: dialog.accept())
    next_title = page.locator("#articles-body tr").nth(
        page.locator("#articles-body tr").evaluate_all(
            "(rows) => rows.findIndex((r) => r.dataset.id === '127.0.0.1_dateline.html') + 1"
        )
    )
    after = next_title.get_attribute("data-id")
    delete.click()
    expect(rows).to_have_count(9)
    expect(page.locator("#add-status")).to_contain_text("Deleted 127.0.0.1_dateline.html")
    # the keyboard goes on from the next row, not from the top of the page
    expect(page.locator(f'#articles-body tr[data-id="{after}"] button.link')).to_be_focused()
    page.close()


def test_the_archive_says_why_it_lists_nothing_and_when_an_article_is_gone(
    browser: Browser, base_url: str
) -> None:
    page, rows = _archive(browser, base_url)
    # the list opened before an article was deleted elsewhere
    page.route(
        "**/api/documents/early.txt",
        lambda route: route.fulfill(status=404, json={"detail": "no article early.txt"}),
    )
    page.locator('#articles-body tr[data-id="early.txt"] button.link').click()
    expect(page.locator("#add-status")).to_contain_text("early.txt is no longer in the archive")
    expect(page.locator("#reader")).to_be_hidden()

    page.route(
        "**/api/documents",
        lambda route: route.fulfill(
            status=429, json={"detail": "too many requests; retry in 58 s"}
        ),
    )
    page.reload()
    page.locator("#archive > summary").click()
    expect(rows).to_have_text(
        ["The article list could not be loaded: too many requests; retry in 58 s"]
    )
    page.close()


def test_questions_can_be_kept_to_a_date_range_and_outlets(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(base_url)
    page.locator("#archive > summary").click()
    expect(page.locator("#filter-publishers option")).not_to_have_count(0)
    note = page.locator("#filter-note")
    expect(note).to_be_hidden()
    page.fill("#filter-to", "2021-03-05")
    page.fill("#filter-from", "2021-01-01")
    page.locator("#archive > summary").click()  # the panel that set them is closed
    expect(note).to_have_text(re.compile("Answering from: 1 Jan 2021 to 5 Mar 2021"))
    _ask(page, "How many families were displaced by the floods?")
    answer = page.locator("#log li.assistant").last
    expect(answer).to_contain_text("1,200")
    expect(answer).not_to_contain_text("4,500")
    note.get_by_role("button", name="Answer from every article").click()
    expect(note).to_be_hidden()
    expect(page.locator("#question")).to_be_focused()

    page.locator("#archive > summary").click()
    page.locator("#filter-publishers").select_option(["River Times"])
    _ask(page, "How many families were displaced by the floods?")
    expect(page.locator("#log li.assistant").last).to_contain_text("4,500")
    # A question the chosen outlet does not answer says which articles were searched,
    # and a reload keeps the filter with the conversation it was set for.
    page.reload()
    expect(note).to_have_text(re.compile("Answering from: River Times"))
    expect(page.locator("#filter-publishers option:checked")).to_have_text(["River Times"])
    _ask(page, "Who is Jawwad al-Tulaibawi?")
    expect(page.locator("#log li.assistant").last).to_contain_text(
        "Only these articles were searched: River Times."
    )
    page.locator("#archive > summary").click()

    page.locator("#filter-clear").click()
    page.fill("#filter-from", "2030-01-01")
    _ask(page, "How many families were displaced by the floods?")
    nothing = page.locator("#log li.assistant").last
    expect(nothing).to_contain_text("No indexed article matches these filters")
    page.close()


def test_an_answer_can_be_stopped_left_behind_or_cut_off_and_says_so(
    browser: Browser, base_url: str
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    sent = _chat_requests(page)
    page.goto(base_url)
    expect(page.locator("#status")).to_contain_text("articles indexed")
    answers = page.locator("#log li.assistant")

    page.route("**/api/chat", lambda route: None)  # the answer never comes
    page.fill("#question", "How many people have fled Mosul?")
    page.keyboard.press("Enter")
    expect(page.locator("#stop")).to_be_visible()
    page.locator("#stop").click()
    expect(answers.last.locator(".label")).to_have_text("Stopped")
    expect(page.locator("#send")).to_be_enabled()
    # the question is back in the box, to ask again with Enter
    expect(page.locator("#question")).to_have_value("How many people have fled Mosul?")
    page.keyboard.press("Enter")
    expect(page.locator("#stop")).to_be_visible()
    page.keyboard.press("Escape")  # Escape stops too
    expect(answers.last.locator(".label")).to_have_text("Stopped")
    expect(answers).to_have_count(2)

    page.keyboard.press("Enter")
    page.locator("#new-chat").click()  # while the answer is still coming
    expect(answers).to_have_count(0)
    expect(page.locator("#question")).to_have_value("")  # left behind, not to ask again
    page.unroute("**/api/chat")
    _ask(page, "Who is Jawwad al-Tulaibawi?")
    assert sent[-1]["history"] == []  # nothing of the old chat travels with the new one
    expect(answers.last).to_contain_text("Asaib Ahl al-Haq")

    # a stream that ends before its "done" event is not a finished answer
    cut = 'event: token\ndata: {"text": "Some 6,000 militants"}\n\n'
    page.route(
        "**/api/chat",
        lambda route: route.fulfill(body=cut, headers={"Content-Type": "text/event-stream"}),
    )
    _ask(page, "How many militants were there?")
    expect(answers.last).to_have_class("assistant error")
    expect(answers.last).to_contain_text("cut off before it ended")
    expect(answers.last).to_contain_text("incomplete")

    page.route("**/api/chat", lambda route: route.abort())  # the server is gone
    _ask(page, "How many militants were there?")
    expect(answers.last).to_contain_text("the server could not be reached")
    expect(page.locator("#question")).to_have_value("How many militants were there?")

    page.unroute("**/api/chat")
    before = (answers.count(), len(sent))
    long_question = "How many militants were there " + "and where " * 200 + "?"
    page.fill("#question", long_question)
    expect(page.locator("#question-count")).to_have_text("2,031 / 2,000 characters")
    page.keyboard.press("Enter")  # not sent to be refused, nor cut short: the limit is named
    expect(page.locator("#ask-note")).to_contain_text("this server takes up to 2,000")
    expect(page.locator("#question")).to_have_value(long_question)
    page.fill("#question", "   ")
    page.keyboard.press("Enter")
    expect(page.locator("#ask-note")).to_have_text("Type a question first.")
    assert (answers.count(), len(sent)) == before
    page.close()


def test_a_reader_who_scrolls_back_is_not_pulled_to_the_answer_being_written(
    browser: Browser, base_url: str
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 600})
    page.goto(base_url)
    held: list[Route] = []
    page.route("**/api/chat", lambda route: held.append(route))  # answered when the test says
    pieces = [f"Word {i} of a long answer. " for i in range(300)]
    words = "".join(f"event: token\ndata: {json.dumps({'text': p})}\n\n" for p in pieces)
    done = {"answer": "".join(pieces), "answered": True, "mode": "extractive", "citations": []}
    body = f"{words}event: done\ndata: {json.dumps(done)}\n\n"
    log = page.locator("#log")
    for turn in range(2):
        page.fill("#question", f"Tell me everything, part {turn}")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('#stop').hidden === false")
        while len(held) <= turn:
            page.wait_for_timeout(50)
        if turn == 1:
            log.evaluate("(log) => { log.scrollTop = 0; }")  # back to read the first answer
        held[turn].fulfill(body=body, headers={"Content-Type": "text/event-stream"})
        expect(page.locator("#send")).to_be_enabled()
        if turn == 0:  # a reader at the end follows the answer as it grows
            at_end = "(log) => log.scrollHeight - log.scrollTop - log.clientHeight < 40"
            assert log.evaluate(at_end)
    assert log.evaluate("(log) => log.scrollTop") == 0
    page.close()


def test_a_long_chat_sends_the_latest_turns_that_fit(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    sent = _chat_requests(page)
    page.goto(base_url)
    for turn in range(12):  # ten long questions and their answers: past 20,000 characters
        page.evaluate(
            "([q, a]) => history.push({role: 'user', content: q}, {role: 'assistant', content: a})",
            [f"question {turn} " + "x" * 1990, f"answer {turn}"],
        )
    _ask(page, "Who is Jawwad al-Tulaibawi?")
    expect(page.locator("#log li.assistant").last).to_contain_text("Asaib Ahl al-Haq")
    history = sent[-1]["history"]
    assert sum(len(t["content"]) for t in history) <= 20_000
    assert history[-1]["content"] == "answer 11" and history[0]["role"] == "user"
    page.close()


def test_the_page_keeps_to_the_history_limits_its_server_is_set_to(
    browser: Browser, service: QAService
) -> None:
    limits = {"max_history_turns": 2, "max_history_chars": 2000}
    server = Settings(**{**service.settings.model_dump(), **limits})
    with serving(create_app(server, service=service)) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        sent = _chat_requests(page)
        page.goto(url)
        for question in ("Who is Jawwad al-Tulaibawi?", "Who is Abu Bakr al-Baghdadi?"):
            _ask(page, question)
        _ask(page, "Who is Colonel Dorrian?")  # the third: past 2 earlier messages
        expect(page.locator("#log li.assistant").last).to_contain_text("Dorrian")
        history = sent[-1]["history"]
        assert len(history) == 2 and sum(len(t["content"]) for t in history) <= 2000
        page.close()


def test_a_reload_keeps_the_conversation_until_new_chat(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    sent = _chat_requests(page)
    page.goto(base_url)
    _ask(page, "Who is Jawwad al-Tulaibawi?")
    page.reload()
    answer = page.locator("#log li.assistant")
    expect(answer).to_have_count(1)
    expect(answer.locator(".label")).to_have_text("Answer · quoted")
    answer.locator("button.chip").first.click()  # its sources open as before
    expect(page.locator("details.source[open] mark")).to_contain_text("Jawwad al-Tulaibawi")
    _ask(page, "Which militia does he speak for?")
    assert sent[-1]["history"][0] == {"role": "user", "content": "Who is Jawwad al-Tulaibawi?"}

    page.locator("#new-chat").click()
    page.reload()
    expect(page.locator("#log li.assistant")).to_have_count(0)
    page.close()


def test_the_api_documentation_renders_with_no_network_but_this_server(
    browser: Browser, base_url: str
) -> None:
    page = browser.new_page()
    elsewhere: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base_url)
            else (elsewhere.append(route.request.url), route.abort())
        ),
    )
    page.goto(f"{base_url}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/ask").first).to_be_visible()
    page.locator(".opblock-summary-path", has_text="/api/ask").first.click()  # opens its schema
    expect(page.locator(".opblock-body").first).to_be_visible()
    page.close()
    assert elsewhere == []
