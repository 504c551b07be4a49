"""Plain-language explanations of every stance, form, source kind, technique and figure the pages show: the
glossary page, the ``explain`` filter (tooltips), and the article profile as labelled figures."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..extractors.propaganda import TECHNIQUES
from ..readings import CONFIDENCE_TERMS

router = APIRouter(include_in_schema=False)

STANCES = {
    "neutral": "The outlet reports the statement without signalling belief or doubt (\"said\", \"told\").",
    "assertive": "The outlet's wording presents the statement as established (\"noted\", \"confirmed\", \"revealed\").",
    "distancing": "The outlet keeps its distance from the statement (\"claimed\", \"alleged\", \"insisted\", scare quotes).",
    "hedged": "The statement is reported with uncertainty (\"reportedly\", \"is said to\", \"may\"): not confirmed.",
    "negated": "The statement is reported as denied or not made (\"denied that\", \"did not say\").",
}
FORMS = {
    "direct": "A direct quote: the speaker's own words in quotation marks.",
    "indirect": "Reported speech: what the speaker said, in the outlet's words (\"X said that ...\").",
    "mixed": "Part quoted, part paraphrased.",
    "according_to": "Attributed with \"according to X\".",
    "reported": "A report with no source given (\"reportedly\", \"it is said\").",
}
KINDS = {
    "person": "One named or described person (one official or spokesperson too).",
    "organization": "A company, party, union, NGO or other non-government body.",
    "government": "A government, ministry, agency, court or other state body.",
    "media": "A news outlet (the article cites another outlet's reporting).",
    "document": "A report, study, poll, filing or other document.",
    "group": "Several people described together (\"officials\", \"residents\").",
    "unknown": "The extractor could not tell what kind of source it is.",
}
SOURCE_TERMS = {
    "named": "The article identifies the source so a reader could look it up.",
    "anonymous": "The source is not identified (\"a senior official\", \"people familiar with the matter\").",
    "unsourced": "A statement with no source at all (\"reportedly\").",
}
TECHNIQUE_TEXT = {
    "Loaded_Language": "Words with strong emotional charge used to sway the reader (\"disastrous\", \"heroic\").",
    "Name_Calling,Labeling": "A label that makes the target look bad or good (\"radical\", \"job-killer\").",
    "Repetition": "The same message repeated to make it stick.",
    "Doubt": "Questioning someone's credibility instead of their argument.",
    "Exaggeration,Minimisation": "Making something look bigger or smaller than it is.",
    "Appeal_to_fear-prejudice": "Seeking support by raising fear or playing on prejudice.",
    "Flag-Waving": "Appealing to patriotism or group identity to justify an idea.",
    "Causal_Oversimplification": "One cause given for an outcome that has many.",
    "Appeal_to_Authority": "Something is true because an authority says so, with no other support.",
    "Slogans": "A short, striking phrase that stands in for an argument.",
    "Whataboutism,Straw_Men,Red_Herring": "Deflecting: pointing at another wrong, attacking a position nobody holds, or changing the subject.",
    "Black-and-White_Fallacy": "Only two options presented when there are more.",
    "Thought-terminating_Cliches": "A stock phrase that discourages further thought (\"it is what it is\").",
    "Bandwagon,Reductio_ad_hitlerum": "Join because everyone does; or reject because a hated group supports it.",
}
assert set(TECHNIQUE_TEXT) == set(TECHNIQUES), "every technique needs an explanation"
STORY_TERMS = {
    "first report": "The article that reported the story first: an outlet that cites another outlet of the story is not first; an opinion piece is not the first report of the news it comments on; without times of day, articles of the same day tie.",
    "tie": "Several articles could be the first report: the inputs do not say which came first.",
    "independent sources": "How many separate sources a claim rests on; outlets that all rest on one first report or on the same unnamed officials count once.",
    "hedge dropped": "A re-report states as fact what the first version hedged.",
    "hedge added": "A re-report hedges what the first version stated.",
    "attribution dropped": "A re-report gives the claim in its own voice, without saying who said it.",
    "anonymity changed": "The source is named in one version and unnamed in another.",
    "numbers changed": "The figures differ between versions.",
    "loaded language added": "A re-report adds charged words the first version did not use.",
    "checkable claim": "A statement with a number, date, comparison or other detail that can be checked against records.",
}


def explain(term: str | None) -> str:
    """The plain explanation of a stance, form, kind, technique or term ('' when there is none)."""
    if not term:
        return ""
    for table in (STANCES, FORMS, KINDS, SOURCE_TERMS, TECHNIQUE_TEXT, STORY_TERMS, CONFIDENCE_TERMS):
        if term in table:
            return table[term]
    return STORY_TERMS.get(term.replace("_", " "), "")


def _share(value: Any) -> str:
    return f"{100 * value:.0f}%" if isinstance(value, (int, float)) else "–"


def _counts(mapping: dict, explained: dict | None = None) -> list[dict[str, Any]]:
    return [{"label": k.replace("_", " "), "value": v, "explain": (explained or {}).get(k, explain(k))}
            for k, v in mapping.items() if v]


def profile_figures(profile: dict[str, Any]) -> list[dict[str, Any]]:
    """The article profile as labelled figures in sections (instead of raw JSON); keys this does not know are
    shown last under "other", as text."""
    p = dict(profile or {})
    sections = []
    by_source = p.pop("attributions_by_source", {}) or {}
    sections.append({"title": "Attributions", "figures": [
        {"label": "statements attributed", "value": p.pop("attributions", 0), "explain": "Statements the article presents as someone else's."},
        {"label": "nested", "value": p.pop("nested_attributions", 0), "explain": "Statements reported inside another (\"outlets reported, citing officials\")."},
        *_counts(by_source, SOURCE_TERMS),
    ]})
    sections.append({"title": "How they are written", "figures": _counts(p.pop("attributions_by_form", {}) or {}, FORMS)})
    sections.append({"title": "Stance", "figures": _counts(p.pop("stance", {}) or {}, STANCES)})
    sources = [
        {"label": "sources", "value": p.pop("sources", 0), "explain": "Distinct people, bodies and documents the article quotes or cites."},
        {"label": "named", "value": p.pop("named_sources", 0), "explain": SOURCE_TERMS["named"]},
        {"label": "anonymous", "value": p.pop("anonymous_sources", 0), "explain": SOURCE_TERMS["anonymous"]},
        {"label": "text resting on anonymous sources", "value": _share(p.pop("anonymous_share", None)),
         "explain": "The share of attributed text whose source is unnamed."},
        *_counts(p.pop("sources_by_kind", {}) or {}, KINDS),
    ]
    p.pop("attributed_chars", None), p.pop("anonymous_chars", None)
    sections.append({"title": "Sources", "figures": sources})
    media = p.pop("media_cited", []) or []
    firsts = p.pop("first_reports", []) or []
    sections.append({"title": "Other outlets", "figures": [
        {"label": "outlets cited", "value": ", ".join(str(m.get("name", m) if isinstance(m, dict) else m) for m in media) or "none",
         "explain": "News outlets whose reporting the article relies on."},
        {"label": "named as first to report", "value": ", ".join(str(f.get("name")) for f in firsts) or "none",
         "explain": "Outlets the article credits with breaking the story."},
    ]})
    loaded = p.pop("loaded_language", {}) or {}
    if isinstance(loaded, dict):
        sections.append({"title": "Loaded language", "figures": [
            {"label": "in the outlet's own voice", "value": loaded.get("own_voice", 0), "explain": "Charged fragments the outlet wrote itself."},
            {"label": "in quoted words", "value": loaded.get("quoted", 0), "explain": "Charged fragments inside what sources said."},
            *_counts(loaded.get("techniques") or {}, TECHNIQUE_TEXT),
        ]})
    sections.append({"title": "Claims", "figures": [
        {"label": "claims", "value": p.pop("claims", 0), "explain": "Factual statements in the outlet's own voice."},
        {"label": "checkable", "value": p.pop("checkable_claims", 0), "explain": STORY_TERMS["checkable claim"]},
        *_counts(p.pop("checkable_reasons", {}) or {}),
    ]})
    corrections = p.pop("corrections", None)
    if corrections:
        sections.append({"title": "Corrections", "figures": [
            {"label": "applied", "value": len(corrections.get("applied", [])), "explain": "Readers' corrections shown in this reading."},
            {"label": "no longer matching", "value": len(corrections.get("unmatched", [])), "explain": "Corrections whose attribution the current reading no longer has."},
            {"label": "by", "value": ", ".join(corrections.get("by", [])), "explain": ""},
        ]})
    if p:
        sections.append({"title": "Other", "figures": [{"label": k.replace("_", " "), "value": v if isinstance(v, (str, int, float)) else str(v), "explain": ""}
                                                       for k, v in sorted(p.items())]})
    return [s for s in sections if s["figures"]]


@router.get("/glossary", response_class=HTMLResponse)
async def glossary_page(request: Request):
    from .deps import templates

    return templates.TemplateResponse(request, "glossary.html", {
        "title": "Glossary", "has_stories": request.app.state.has_stories,
        "sections": [("Stance: how the outlet reports a statement", STANCES), ("Form of an attribution", FORMS),
                     ("Kinds of source", KINDS), ("Named and anonymous", SOURCE_TERMS),
                     ("Propaganda techniques (SemEval-2020 Task 11)", TECHNIQUE_TEXT),
                     ("Stories: first reports, sources and changes", STORY_TERMS),
                     ("How sure a reading is", CONFIDENCE_TERMS)],
    })
