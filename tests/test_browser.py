"""The app in a real browser (Playwright driving Debian's Chromium): list -> search -> article -> analyze; XSS stays inert.

Needs ``pip install playwright`` (no ``playwright install``: the system Chromium is used) and /usr/bin/chromium.
Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import REPO, SEED_FILE, served
from test_web import hostile_report

CHROMIUM = Path(os.environ.get("SOURCETRACE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def seed(analyzer):
    """The shared seed article when present, else the first bundled sample: (report, a word to search for)."""
    from sourcetrace.ingest import read_inputs
    from sourcetrace.samples import load_samples

    if SEED_FILE.exists():
        (article,) = list(read_inputs([str(SEED_FILE)]))
        word = "landmines"
    else:
        article = load_samples()[0]
        word = "desalination"
    report = analyzer.analyze(article)
    assert report.attributions, "the seed article must have attributions to highlight"
    return article, report, word


@pytest.fixture(scope="module")
def server(tmp_path_factory, seed, analyzer):
    pytest.importorskip("playwright", reason="pip install playwright (the browser is Debian's chromium)")
    if not CHROMIUM.exists():
        pytest.skip(f"needs {CHROMIUM} (apt-get install chromium)")
    from sourcetrace.model import Article
    from sourcetrace.samples import load_samples
    from sourcetrace.store import Store

    db = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}"
    store = Store(db)
    seed_article, seed_report, _ = seed
    store.add(seed_article, seed_report)
    for article in load_samples():
        store.add(article, analyzer.analyze(article))
    hostile = hostile_report()
    store.add(Article(text=hostile.text), hostile)
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
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def test_list_search_article_and_analyze(server, page, seed):
    _, report, word = seed
    page.goto(server + "/")
    assert page.locator("ol.articles li").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "01-list.png"), full_page=True)

    page.fill("#q", word)
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?q=*")
    results = page.locator("ol.articles li a.title")
    assert results.count() >= 1
    assert results.first.inner_text() == (report.title or report.id)
    page.screenshot(path=str(ARTIFACTS / "02-search.png"), full_page=True)

    results.first.click()
    page.wait_for_selector("#article-text")
    assert page.locator("#article-text .seg.source").count() >= 1
    assert page.locator("#article-text .seg.cue").count() >= 1
    assert page.locator("#article-text .seg.content").count() >= 1
    assert page.locator("#sources-panel table.sources tbody tr").count() == max(len(report.sources), 1)
    assert page.locator("#sources-panel").is_visible()
    assert page.locator("#article-text").inner_text().strip() == report.text.strip()
    highlighted = page.locator("#article-text .seg.source").first
    assert "source:" in highlighted.get_attribute("title")  # the hover text
    highlighted.click()
    assert "stance:" in page.locator("#detail").inner_text()
    assert page.locator("ol.attributions li.active").count() >= 1
    assert page.locator("a.raw").get_attribute("href") == f"/api/v1/reports/{report.id}"
    page.screenshot(path=str(ARTIFACTS / "03-article.png"), full_page=True)

    page.goto(server + "/analyze")
    text = "The harbor authority said on Tuesday that ferry fares would rise, according to a statement seen by reporters."
    page.fill("#text", text)
    page.click("#analyze-submit")
    page.wait_for_selector("#report")
    assert page.locator("#report .seg").count() >= 1
    assert "harbor authority" in page.locator("#sources-panel").inner_text().lower()
    page.screenshot(path=str(ARTIFACTS / "04-analyze.png"), full_page=True)
    assert page.dialogs == []


def test_outlet_chart_renders(server, page):
    page.goto(server + "/outlets")
    page.locator("table.list a").first.click()
    page.wait_for_selector("#timeline")
    if page.locator("#outlet-chart").count():
        assert page.locator("#outlet-chart").is_visible()
    page.screenshot(path=str(ARTIFACTS / "05-outlet.png"), full_page=True)


def test_stored_markup_never_runs(server, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ("/articles/hostile-1", "/?q=script", "/outlets", "/sources"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
    page.goto(server + "/articles/hostile-1")
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__xss = 1; alert(1)</script>" in text
    assert '<img src=x onerror="window.__xss = 2">' in text
    assert page.locator("#article-text img, #article-text script, #article-text a").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("h1.article-title").inner_text() == "<script>window.__xss = 4</script>Title"
    for seg in page.locator("#article-text .seg").all():  # hovering and clicking every highlight runs nothing either
        seg.hover()
        seg.click()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert "<script>window.__xss=7</script>" in page.locator("#detail").inner_text() + page.locator("#sources-panel").inner_text()
    page.screenshot(path=str(ARTIFACTS / "06-hostile.png"), full_page=True)
    assert page.dialogs == [] and errors == []


def test_article_shows_confidence_and_hides_uncertain_readings(server, page, seed):
    from sourcetrace.readings import UNCERTAIN_BELOW, confidence_label

    _, report, _ = seed
    low = [a for a in report.attributions if a.confidence is not None and a.confidence < UNCERTAIN_BELOW]
    assert low, "the seed article has an uncertain reading to hide"
    page.goto(f"{server}/articles/{report.id}")
    items = page.locator("ol.attributions > li")
    assert items.count() == len(report.attributions)
    for a in report.attributions:
        assert page.locator(f"#att-{a.id} .confidence").inner_text() == confidence_label(a.confidence, a.speaker_confidence)
    tags = page.locator("ol.attributions .tag.uncertain", has_text="uncertain")
    assert page.locator("ol.attributions li.uncertain").count() == len(low)
    assert "more likely wrong than right" in tags.first.get_attribute("title")  # the plain-language tooltip
    # clicking a highlight of a shown reading puts its figures in the panel too
    page.locator(f"#article-text .seg[data-att~='{report.attributions[0].id}']").first.click()
    assert confidence_label(report.attributions[0].confidence, report.attributions[0].speaker_confidence) in \
        page.locator("#detail").inner_text()
    page.screenshot(path=str(ARTIFACTS / "07-confidence.png"), full_page=True)

    page.click("#hide-uncertain")
    page.wait_for_url("**min_confidence=0.5")
    assert items.count() == len(report.attributions) - len(low)
    assert page.locator("ol.attributions li.uncertain").count() == 0
    for a in low:
        assert page.locator(f"#att-{a.id}").count() == 0
    assert "below confidence 0.5 hidden" in page.locator("p.warning").last.inner_text()
    assert page.locator("#article-text").inner_text().strip() == report.text.strip()  # the text itself stays whole
    page.screenshot(path=str(ARTIFACTS / "08-uncertain-hidden.png"), full_page=True)

    page.click("#show-all-readings")
    page.wait_for_selector("#hide-uncertain")
    assert items.count() == len(report.attributions)
    assert page.dialogs == []
