"""The CLI: samples, the seed article, and every kind of bad input. Commands run in this process (``run_cli``);
a few run as real processes (``run_process``): the installed script, exit codes, standard input from a pipe."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, CliRun, assert_spans_index_text, invoke_cli
from sourcetrace.model import ArticleReport

SCHEMA = json.loads((REPO / "schema" / "article-report.v1.json").read_text(encoding="utf-8"))


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> CliRun:
    """``sourcetrace ARGS`` in this process (see conftest.invoke_cli)."""
    return invoke_cli(*args, stdin=stdin, cwd=cwd)


def run_process(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
                script: bool = False) -> subprocess.CompletedProcess:
    """``python -m sourcetrace ARGS`` as a real process, or with ``script`` the installed ``sourcetrace`` script."""
    env = dict(os.environ, COLUMNS="120")
    command = [str(Path(sys.executable).with_name("sourcetrace"))] if script else [sys.executable, "-m", "sourcetrace"]
    return subprocess.run([*command, *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=600)


def check_report(data: dict) -> ArticleReport:
    jsonschema.validate(data, SCHEMA)
    report = ArticleReport.from_dict(data)
    assert_spans_index_text(report)
    assert report.to_dict() == data  # the JSON round-trips exactly
    return report


def assert_one_line_errors(stderr: str, expected: int) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == expected, stderr
    assert "Traceback" not in stderr, stderr
    return errors


@pytest.fixture(scope="module")
def samples_jsonl(tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("cli") / "samples.jsonl"
    from sourcetrace.samples import sample_path

    proc = run_cli("analyze", str(sample_path()), "--format", "jsonl", "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_samples_validate_and_spans_index_text(samples_jsonl):
    assert len(samples_jsonl) >= 6
    for data in samples_jsonl:
        report = check_report(data)
        assert report.id.startswith("sample-")
        assert report.attributions, report.id


def test_seed_json_has_quotes_and_according_to(seed_path):
    proc = run_cli("analyze", str(seed_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    report = check_report(json.loads(proc.stdout))
    assert report.text == seed_path.read_text(encoding="utf-8")
    according = [a for a in report.attributions if a.form == "according_to"]
    assert any(a.source and a.source.text == "the Washington Post" for a in according)
    wp = next(a for a in according if a.source and a.source.text == "the Washington Post")
    assert wp.content.text.startswith("the weapons will only be used")
    # the quoted words of the seed are inside some attribution's content
    for quoted in ("“reckless”", "“to the last Ukrainian.”"):
        start = report.text.index(quoted)
        assert any(a.content.start <= start and start + len(quoted) - 2 <= a.content.end for a in report.attributions), quoted


@pytest.mark.parametrize("fmt", ["text", "md", "html", "jsonl"])
def test_every_format_renders_the_seed(seed_path, fmt):
    proc = run_cli("analyze", str(seed_path), "--format", fmt)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8")
    assert "Washington Post" in out
    if fmt == "html":
        assert out.lstrip().startswith("<!doctype html>") and 'class="source"' in out
    if fmt == "text":
        assert "Sources" in out


def test_stdin_input():
    # a real process reading a pipe: standard input that is no terminal
    proc = run_process("analyze", "-", "--format", "json", stdin="“We will rebuild it,” the mayor said on Monday.".encode())
    assert proc.returncode == 0, proc.stderr.decode()
    report = check_report(json.loads(proc.stdout))
    assert report.attributions[0].form == "direct"


def test_demo_writes_report(tmp_path):
    proc = run_cli("demo", "-o", "report.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("<article") >= 6 and "Harbor Ledger" in html
    assert "Sourcing summary" in proc.stdout.decode()


@pytest.fixture()
def bad_inputs(tmp_path) -> dict[str, Path]:
    paths = {
        "empty": tmp_path / "empty.txt",
        "blank": tmp_path / "blank.txt",
        "binary": tmp_path / "binary.txt",
        "huge": tmp_path / "huge.txt",
        "no_main_text": tmp_path / "nav.html",
        "bad_jsonl": tmp_path / "bad.jsonl",
        "no_supported": tmp_path / "nothing_here",
    }
    paths["empty"].write_bytes(b"")
    paths["blank"].write_text("  \n\t \n", encoding="utf-8")
    paths["binary"].write_bytes(b"PK\x03\x04\x00\x00binary\x00data")
    paths["huge"].write_bytes(b"The officials said so. " * 500_000)  # 11.5 MB
    paths["no_main_text"].write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    paths["bad_jsonl"].write_text('{"id": "ok", "text": "The mayor said the bridge is safe."}\n{not json\n', encoding="utf-8")
    paths["no_supported"].mkdir()
    (paths["no_supported"] / "image.png").write_bytes(b"\x89PNG")
    return paths


def test_bad_inputs_each_one_line_and_others_still_analysed(bad_inputs, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The mayor said that the bridge would reopen in May.", encoding="utf-8")
    args = [str(p) for p in bad_inputs.values()] + ["http://127.0.0.1:9/unreachable", str(good)]
    proc = run_process("analyze", *args, "--format", "jsonl")  # a real process: exit status 1 after some failed
    stderr = proc.stderr.decode()
    errors = assert_one_line_errors(stderr, expected=8)
    reasons = "\n".join(errors)
    for needle in ("empty.txt: empty", "blank.txt: empty", "binary.txt: binary", "huge.txt: file is",
                   "nav.html: no main text", "bad.jsonl:2: invalid JSON", "nothing_here: directory has no supported file",
                   "http://127.0.0.1:9/unreachable: cannot fetch"):
        assert needle in reasons, (needle, reasons)
    assert proc.returncode == 1
    ids = [json.loads(line)["id"] for line in proc.stdout.decode().splitlines()]
    assert len(ids) == 2 and "ok" in ids  # the valid JSONL line and good.txt were analysed


def test_max_bytes_raises_the_limit(bad_inputs):
    proc = run_cli("analyze", str(bad_inputs["huge"]), "--max-bytes", "1000", "--format", "jsonl")
    assert proc.returncode == 1 and "over the 1,000-byte limit" in proc.stderr.decode()


def test_missing_file_and_usage_error():
    # the installed console script, as a real process: its exit statuses 1 and 2
    proc = run_process("analyze", "/nonexistent/article.txt", script=True)
    assert proc.returncode == 1
    assert assert_one_line_errors(proc.stderr.decode(), 1)[0] == "error: /nonexistent/article.txt: no such file or directory"
    usage = run_process("analyze", "x.txt", "--format", "yaml", script=True)
    assert usage.returncode == 2


def test_debug_shows_traceback_only_when_asked(tmp_path):
    # --debug is for developers: the same bad input still gives the one-line error (inputs never raise)
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    proc = run_cli("--debug", "analyze", str(path))
    assert proc.returncode == 1 and "error: " in proc.stderr.decode()


def test_committed_schema_matches_types():
    from sourcetrace.cli.schema_command import schema_text

    assert (REPO / "schema" / "article-report.v1.json").read_text(encoding="utf-8") == schema_text()
