"""The corpus store on SQLite and PostgreSQL: exact round trips, idempotence, search, filters, export, ingest."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from _store_support import sample_reports, store, store_url  # noqa: F401  (fixtures)
from conftest import CliRun, invoke_cli
from sourcetrace.model import Article, ArticleReport, Attribution, Source, Span
from sourcetrace.store import Store
from sourcetrace.store.export import brat_annotations, export_reports
from sourcetrace.store.queries import ArticleQuery, fts5_query, list_articles, list_outlets, list_sources, outlet_timeline


def made_report(report_id: str, text: str, outlet: str, published: str | None, named: bool, stance: str) -> ArticleReport:
    """A small hand-built report with one attribution whose source is (un)named and whose stance is given."""
    src_end = text.index(" said")
    return ArticleReport(
        id=report_id, outlet=outlet, published=published, title=f"title {report_id}", text=text,
        attributions=[Attribution(
            id="a1", source=Span.of(text, 0, src_end), cue=Span.of(text, src_end + 1, src_end + 5),
            content=Span.of(text, src_end + 6, len(text) - 1), form="indirect", source_id="s1", stance=stance,
        )],
        sources=[Source(id="s1", name=text[:src_end], named=named, kind="person" if named else "unknown",
                        mentions=[Span.of(text, 0, src_end)])],
        profile={"attributions": 1, "nested": {"share": 0.5, "list": [1, 2]}},
    )


CORPUS = [
    made_report("r1", "Mayor Ana Ortiz said the bridge would reopen in spring.", "Harbor Ledger", "2024-01-15", True, "neutral"),
    made_report("r2", "A senior official said the reservoir may be contaminated.", "Harbor Ledger", "2024-02-20", False, "hedged"),
    made_report("r3", "Police said the protest remained peaceful all night.", "Valley Post", "2024-03-05T10:00:00Z", True, "assertive"),
    made_report("r4", "People familiar with the talks said a deal was near.", "Valley Post", None, False, "neutral"),
]


def fill(store: Store) -> None:
    for report in CORPUS:
        assert store.add(Article(text=report.text, id=report.id), report)


def test_real_reports_round_trip_exactly(store, sample_reports):
    for article, report in sample_reports:
        assert store.add(article, report) is True
    assert store.count() == len(sample_reports)
    for _, report in sample_reports:
        again = store.get_report(report.id)
        assert again is not None
        assert again.to_json() == report.to_json()
    assert [r.id for r in store.iter_reports(batch_size=2)] == [r.id for _, r in sample_reports]
    wanted = [sample_reports[2][1].id, "missing", sample_reports[0][1].id]
    assert [r.id for r in store.iter_reports(ids=wanted)] == [wanted[0], wanted[2]]
    assert store.get_report("missing") is None


def test_same_article_is_never_stored_twice(store):
    report = CORPUS[0]
    assert store.add(Article(text=report.text), report) is True
    assert store.add(Article(text=report.text), report) is False  # same id
    other_id = report.model_copy(update={"id": "another-id"})
    assert store.add(Article(text=report.text), other_id) is False  # same text (content hash)
    assert store.count() == 1
    assert store.has("r1") and not store.has("another-id")
    assert store.has_text(report.text)


def test_reopening_runs_no_migration_twice(store_url):
    from sourcetrace.store.migrate import current_heads

    first = Store(store_url)
    fill(first)
    first.close()
    second = Store(store_url)
    assert second.count() == len(CORPUS)
    assert current_heads(second.engine) and "0001_initial" in _history(second)
    second.close()


def _history(store: Store) -> set[str]:
    from alembic.script import ScriptDirectory

    from sourcetrace.store.migrate import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def test_full_text_search_and_filters(store):
    fill(store)

    def ids(**kw) -> list[str]:
        return sorted(item["id"] for item in list_articles(store, ArticleQuery(**kw)).items)

    assert ids(q="reservoir") == ["r2"]
    assert ids(q="bridge reopen") == ["r1"]
    assert ids(q="said") == ["r1", "r2", "r3", "r4"]
    assert ids(outlet="Valley Post") == ["r3", "r4"]
    assert ids(date_from=date(2024, 2, 1)) == ["r2", "r3"]
    assert ids(date_from=date(2024, 1, 1), date_to=date(2024, 2, 28)) == ["r1", "r2"]
    assert ids(anonymous=True) == ["r2", "r4"]
    assert ids(hedged=True) == ["r2"]
    assert ids(anonymous=True, outlet="Harbor Ledger") == ["r2"]
    # newest first, undated last
    assert [i["id"] for i in list_articles(store, ArticleQuery()).items] == ["r3", "r2", "r1", "r4"]
    page = list_articles(store, ArticleQuery(per_page=3, page=2))
    assert page.total == 4 and page.pages == 2 and [i["id"] for i in page.items] == ["r4"]


@pytest.mark.parametrize("hostile", [
    "'); DROP TABLE articles; --", '"unbalanced', "bridge* OR NEAR(", "a:b -c ^d", "%_\\", "\u0000x",
])
def test_hostile_search_text_is_only_data(store, hostile):
    fill(store)
    list_articles(store, ArticleQuery(q=hostile))
    list_sources(store, q=hostile)
    assert store.count() == len(CORPUS)


def test_fts5_query_quotes_every_term():
    assert fts5_query('bridge OR "reopen in" x*') == '"bridge" "OR" "reopen in" "x"'
    assert fts5_query("*** ()") is None


def test_outlets_timeline_and_sources(store):
    fill(store)
    outlets = {o["name"]: o for o in list_outlets(store)}
    assert outlets["Harbor Ledger"]["articles"] == 2
    assert outlets["Harbor Ledger"]["anonymous_share"] == pytest.approx(0.5)
    timeline = outlet_timeline(store, "Valley Post")
    assert [row["month"] for row in timeline] == ["2024-03", "undated"]
    assert timeline[0]["stances"]["assertive"] == 1 and timeline[0]["anonymous_share"] == 0.0
    assert timeline[1]["anonymous_share"] == 1.0
    assert outlet_timeline(store, "nope") is None
    police = list_sources(store, q="police")
    assert [(s["name"], s["named"], s["attributions"]) for s in police.items] == [("Police", True, 1)]
    assert list_sources(store, named=False).total == 2


def test_export_every_format(store, sample_reports, tmp_path):
    for article, report in sample_reports:
        store.add(article, report)
    reports = [r for _, r in sample_reports]

    assert export_reports(store.iter_reports(), "jsonl", tmp_path / "out.jsonl") == len(reports)
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [ArticleReport.from_dict(json.loads(l)).to_json() for l in lines] == [r.to_json() for r in reports]

    import pyarrow.parquet as pq

    export_reports(store.iter_reports(), "parquet", tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("report").to_pylist() == [r.to_json() for r in reports]
    first_atts = table.column("attributions").to_pylist()[0]
    assert [a["content"]["text"] for a in first_atts] == [a.content.text for a in reports[0].attributions]

    export_reports(store.iter_reports(), "csv", tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(r.attributions) for r in reports)
    by_id = {r.id: r for r in reports}
    for row in rows:
        text = by_id[row["article_id"]].text
        assert text[int(row["content_start"]):int(row["content_end"])] == row["content_text"]

    export_reports(store.iter_reports(), "brat", tmp_path / "brat")
    assert (tmp_path / "brat" / "annotation.conf").exists() and (tmp_path / "brat" / "visual.conf").exists()
    for report in reports:
        check_brat(tmp_path / "brat", report)


def test_one_format_registry_for_analyze_export_and_the_api(store, store_url, sample_reports, tmp_path):
    """Every format of sourcetrace.formats is a choice of both analyze and export, with the same output."""
    from typer.testing import CliRunner

    from sourcetrace import formats
    from sourcetrace.cli import _load_commands, app
    from sourcetrace.render import render_reports

    for article, report in sample_reports:
        store.add(article, report)
    reports = [r for _, r in sample_reports]
    _load_commands()
    runner = CliRunner()
    for name, output_format in formats.FORMATS.items():
        target = tmp_path / f"export.{name}"
        result = runner.invoke(app, ["export", "--db", store_url, "--format", name, "-o", str(target)])
        assert result.exit_code == 0, result.output
        if name in ("md", "html", "text", "json"):  # the presenters analyze uses, on the stored reports
            assert target.read_bytes().decode("utf-8") == render_reports(reports, name)
        if output_format.render is not None and output_format.write is not None:
            # a streamed file and the rendered text agree (csv: the same rows as the streaming writer)
            assert target.read_bytes().decode("utf-8") == output_format.render(reports, False)
    with (tmp_path / "export.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == sum(len(r.attributions) for r in reports)
    assert (tmp_path / "export.brat" / "annotation.conf").exists()
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "export.parquet").column("report").to_pylist() == [r.to_json() for r in reports]

    # analyze refuses a file-only format without -o, before reading anything (a usage error, exit 2)
    result = runner.invoke(app, ["analyze", "-", "--format", "parquet"], input="Officials said it was fine.")
    assert result.exit_code == 2 and "-o" in result.output and "Traceback" not in result.output


def check_brat(directory: Path, report: ArticleReport) -> None:
    stem = next(p.stem for p in directory.glob("*.txt") if p.read_text(encoding="utf-8") == report.text)
    text = (directory / f"{stem}.txt").read_text(encoding="utf-8")
    entities = 0
    for line in (directory / f"{stem}.ann").read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        tid, label_offsets, shown = line.split("\t")
        label, offsets = label_offsets.split(" ", 1)
        fragments = [tuple(map(int, f.split())) for f in offsets.split(";")]
        assert all("\n" not in text[s:e] for s, e in fragments), line
        start, end = fragments[0][0], fragments[-1][1]
        assert text[start:end].replace("\n", " ") == shown
        entities += 1
    assert entities >= len(report.attributions)


def test_brat_splits_spans_at_line_breaks():
    text = "Officials said the plan\nwould fail."
    report = ArticleReport(
        id="x", text=text, attributions=[Attribution(
            id="a1", source=Span.of(text, 0, 9), cue=Span.of(text, 10, 14), content=Span.of(text, 15, len(text) - 1),
            form="indirect", stance="hedged")],
    )
    ann = brat_annotations(report)
    assert "Content 15 23;24 34\tthe plan would fail" in ann
    assert "Stance T1 hedged" in ann and "Source-of Arg1:T2 Arg2:T1" in ann


def run_cli(*args: str, cwd: Path) -> CliRun:
    """``sourcetrace ARGS`` in this process (conftest.invoke_cli), its output as text."""
    return invoke_cli(*args, cwd=cwd, text=True)


def test_ingest_and_export_commands(tmp_path):
    rows = [{"id": f"c{i}", "title": f"Item {i}", "outlet": "Harbor Ledger", "published": "2024-05-0" + str(i + 1),
             "text": f"City officials said on Monday that road {i} would close, according to a memo."} for i in range(3)]
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    first = run_cli("ingest", str(data), str(tmp_path / "missing.txt"), "--db", db, cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    errors = [l for l in first.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 2 and any("missing.txt" in e for e in errors) and any("in.jsonl:4" in e for e in errors)
    assert "stored 3, skipped 0 (already present), failed 2" in first.stderr
    second = run_cli("ingest", str(data), "--db", db, cwd=tmp_path)
    assert "stored 0, skipped 3 (already present), failed 1" in second.stderr
    out = tmp_path / "export.jsonl"
    exported = run_cli("export", "--db", db, "--format", "jsonl", "-o", str(out), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["c0", "c1", "c2"]
    bad = run_cli("export", "--db", db, "--format", "xml", "-o", str(out), cwd=tmp_path)
    assert bad.returncode == 2


def test_lru_keeps_the_most_recently_used(store):
    from sourcetrace.store.cache import LRU
    from sourcetrace.store.queries import cached

    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent: "b" goes first
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3 and len(lru) == 2
    # cached() keys by the store's version: an added article makes a fresh computation
    calls = []
    assert cached(store, lru, "n", lambda: calls.append(1) or store.count()) == 0
    assert cached(store, lru, "n", lambda: calls.append(1) or store.count()) == 0 and len(calls) == 1
    report = ArticleReport(id="lru-1", text="A spokesperson said the bridge will close.")
    assert store.add(Article(text=report.text), report)
    assert store.version()[0] == 1
    assert cached(store, lru, "n", lambda: calls.append(1) or store.count()) == 1 and len(calls) == 2
