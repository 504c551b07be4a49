"""Readable pages: the citation graph fits a screen, the profile is labelled figures, every term is explained."""
from __future__ import annotations

from fastapi.testclient import TestClient

from _store_support import sample_reports  # noqa: F401  (fixture)

from sourcetrace.extractors.propaganda import TECHNIQUES
from sourcetrace.store.queries import STANCES
from sourcetrace.web.glossary import explain, profile_figures
from sourcetrace.web.stories import MAX_PER_LAYER, graph_svg


def test_a_story_citing_many_outlets_is_drawn_within_a_screen():
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    story = {"chains": [], "citations": [
        {"from": o, "to": "The Wire", "first_report": i == 0} for i, o in enumerate(outlets)] + [
        {"from": "The Wire", "to": f"Agency {k}", "first_report": False} for k in range(15)]}
    graph = graph_svg(story)
    assert graph["width"] <= 1200
    assert graph["height"] <= 60 + MAX_PER_LAYER * 46
    grouped = [n for n in graph["nodes"] if n["kind"] == "group"]
    assert grouped and all("Outlet" in n["members"] or "Agency" in n["members"] for n in grouped)
    shown = {n["label"] for n in graph["nodes"]}
    assert "The Wire" in shown  # the most connected node is never grouped away
    assert len(graph["nodes"]) <= 3 * MAX_PER_LAYER


def test_every_stance_technique_and_kind_has_a_plain_explanation():
    for term in (*STANCES, *TECHNIQUES, "person", "media", "direct", "according_to", "first report"):
        assert len(explain(term)) > 20, term


def test_profile_becomes_labelled_figures(sample_reports):
    _, report = sample_reports[0]
    sections = profile_figures(report.profile)
    titles = [s["title"] for s in sections]
    assert titles[:2] == ["Attributions", "How they are written"] and "Sources" in titles
    figures = {f["label"]: f for s in sections for f in s["figures"]}
    assert figures["statements attributed"]["value"] == len(report.attributions)
    assert figures["text resting on anonymous sources"]["value"].endswith("%")
    assert all(isinstance(f["value"], (str, int, float)) for f in figures.values())  # never raw JSON


def test_article_page_shows_figures_tooltips_and_the_glossary(tmp_path, sample_reports):
    from sourcetrace.store import Store
    from sourcetrace.web.app import create_app

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    article, report = sample_reports[0]
    store.add(article, report)
    client = TestClient(create_app(store))
    html = client.get(f"/articles/{report.id}").text
    assert 'id="profile"' in html and "<figcaption>Attributions</figcaption>" in html and "<code>" not in html
    stance = report.attributions[0].stance
    assert f'<span class="tag stance-{stance}" title="{explain(stance)[:30]}' in html  # the tooltip
    glossary = client.get("/glossary").text
    for term in ("hedged", "distancing", "Loaded Language", "first report"):
        assert term in glossary
    store.close()
