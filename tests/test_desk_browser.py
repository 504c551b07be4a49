"""The desk in a real browser (Playwright driving Debian's Chromium): a source's page, who-said-what search with
marked matches, the corrections flow (select text, add an attribution, reload, see it) and the story page.
Screenshots go to test-artifacts/."""
from __future__ import annotations

import os
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, served
from desk_support import said_report

CHROMIUM = Path(os.environ.get("SOURCETRACE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MISSED = "Later the union insisted the strike would go on."
RULING = ("A federal judge in Ohio blocked the state's new voting law on Tuesday, ruling that it placed an undue burden "
          "on voters. Judge Maria Alvarez wrote that the law \"cannot stand as written.\" The state attorney general "
          "said he would appeal the decision.")
CITING = ("A federal judge in Ohio blocked the state's new voting law on Tuesday, according to the Harbor Times. The judge "
          "ruled that the voting law placed an undue burden on voters, the Harbor Times reported. The attorney general "
          "said he would appeal the ruling.")

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def server(tmp_path_factory, analyzer):
    pytest.importorskip("playwright", reason="pip install playwright (the browser is Debian's chromium)")
    if not CHROMIUM.exists():
        pytest.skip(f"needs {CHROMIUM} (apt-get install chromium)")
    from sourcetrace.ingest import read_text
    from sourcetrace.model import Article
    from sourcetrace.store import Store

    db = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.db'}"
    store = Store(db)
    reports = [
        said_report("t1", "Daily Ledger", "2024-03-01", [
            ("Donald J. Trump", "Donald J. Trump", "person", True, "the tariffs on steel would stay", "assertive"),
            ("officials", "unnamed officials", "group", False, "talks had stalled", "hedged")], extra=MISSED),
        said_report("t2", "Harbor Times", "2024-03-02", [
            ("President Trump", "President Trump", "person", True, "steel prices would fall", "neutral")]),
    ]
    for r in reports:
        store.add(Article(text=r.text, id=r.id), r)
    for text, aid, outlet, when in ((RULING, "ruling-ht", "Harbor Times", "2024-05-07T15:00:00Z"),
                                    (CITING, "ruling-dl", "Daily Ledger", "2024-05-07T14:00:00Z")):
        article = read_text(text, id=aid, outlet=outlet, published=when, title="Judge blocks Ohio voting law")
        store.add(article, analyzer.analyze(article))
    store.close()
    with served(db) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def test_source_page_merges_names_and_lists_statements(server, page):
    page.goto(server + "/sources")
    page.locator("#sources a", has_text="Donald J. Trump").first.click()
    page.wait_for_selector("#statements")
    assert page.locator("#source-name").inner_text() in {"Donald J. Trump", "President Trump"}
    aliases = page.locator("#aliases").inner_text()
    assert "President Trump" in aliases and "surname" in aliases  # the merge and its reason are visible
    assert page.locator("#statements li").count() == 2
    assert page.locator("#source-timeline rect.bar").count() == 1  # March 2024
    page.screenshot(path=str(ARTIFACTS / "desk-01-source.png"), full_page=True)
    assert page.errors == []


def test_search_marks_the_matching_words(server, page):
    page.goto(server + "/search")
    page.fill("#speaker", "Trump")
    page.fill("#said", "steel")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("#statement-count")
    assert page.locator("#statement-count").inner_text().startswith("2 statement")
    marks = page.locator("#statements mark")
    assert marks.count() == 2 and {m.inner_text() for m in marks.all()} == {"steel"}
    page.screenshot(path=str(ARTIFACTS / "desk-02-search.png"), full_page=True)
    assert page.errors == []


def select_text(page, words: str) -> None:
    """Select ``words`` inside the article text as a reader would (a DOM range over the text nodes)."""
    page.evaluate("""words => {
        const root = document.getElementById('article-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node, offset = 0, start = null, end = null;
        const full = root.textContent, at = full.indexOf(words), stop = at + words.length;
        while ((node = walker.nextNode())) {
            const len = node.textContent.length;
            if (start === null && at < offset + len) start = [node, at - offset];
            if (end === null && stop <= offset + len) { end = [node, stop - offset]; break; }
            offset += len;
        }
        const range = document.createRange();
        range.setStart(start[0], start[1]); range.setEnd(end[0], end[1]);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.dispatchEvent(new Event('selectionchange'));
    }""", words)


def test_select_text_add_an_attribution_reload_and_see_it(server, page):
    page.goto(server + "/articles/t1")
    select_text(page, "the strike would go on")
    page.click("#use-content")
    assert page.locator("#content-preview").inner_text() == "“the strike would go on”"
    select_text(page, "the union")
    page.click("#use-source")
    page.fill("#add-attribution input.author", "desk tester")
    page.select_option("#add-attribution select[name=kind]", "organization")
    page.select_option("#add-attribution select[name=named]", "no")
    page.click("#add-submit")
    page.wait_for_url("**/articles/t1#corrections")
    page.reload()
    added = page.locator("ol.attributions li", has_text="added by a reader")
    assert added.count() == 1 and "the strike would go on" in added.inner_text()
    assert page.locator("#article-text .seg.content", has_text="the strike would go on").count() >= 1
    assert "desk tester" in page.locator("#corrections-note").inner_text()
    page.screenshot(path=str(ARTIFACTS / "desk-03-corrected.png"), full_page=True)
    import json

    with urllib.request.urlopen(server + "/api/v1/articles/t1") as response:
        served = json.load(response)
    assert any(a["content"]["text"] == "the strike would go on" for a in served["attributions"])
    # and mark one wrong through its form
    page.locator("ol.attributions li", has_text="talks had stalled").locator("summary").click()
    wrong = page.locator("ol.attributions li", has_text="talks had stalled").locator("form.correction").nth(1)
    wrong.locator("button.remove").click()
    page.wait_for_url("**/articles/t1#corrections")
    assert page.locator("ol.attributions li", has_text="talks had stalled").count() == 0
    assert page.errors == []


def test_story_page_first_report_and_graph_fit_a_screen(server, page):
    page.goto(server + "/stories")
    page.locator("#stories tr", has_text="Ohio voting law").locator("a").first.click()
    page.wait_for_selector("#citation-graph")
    assert "ruling-ht" in page.locator("#first-report").inner_text()  # cited by the Ledger, though later
    box = page.locator("#citation-graph").bounding_box()
    assert box["width"] <= 1200
    page.screenshot(path=str(ARTIFACTS / "desk-04-story.png"), full_page=True)
    assert page.errors == []
