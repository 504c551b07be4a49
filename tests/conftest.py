"""Shared fixtures: real spaCy parses, the sample articles, and ../shared/data when present."""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SOURCETRACE_SHARED_DATA", REPO.parent / "shared" / "data"))
SEED_FILE = SHARED_DATA / "seed" / "000_b5efc67146e558fe.txt"


def require_shared(*parts: str) -> Path:
    """The path under ../shared/data, or skip the test with the reason."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the project's shared data, present on CI, absent on a fresh machine)")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return require_shared("seed", "000_b5efc67146e558fe.txt")


@pytest.fixture(scope="session")
def analyzer():
    from sourcetrace.pipeline import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def seed_report(seed_path, analyzer):
    from sourcetrace.ingest import read_inputs

    (article,) = list(read_inputs([str(seed_path)]))
    return analyzer.analyze(article)


def assert_spans_index_text(report) -> None:
    """Every span's text is exactly the slice of the report text it points at."""
    for span in report.iter_spans():
        assert 0 <= span.start <= span.end <= len(report.text), span
        assert report.text[span.start:span.end] == span.text, span


# shipped weights stay under GitHub's hard limit, each file
MAX_MODEL_FILE_BYTES = 50 * 1024 * 1024


def assert_shipped_tagger(folder: Path, span_types) -> dict:
    """An exported token tagger (accurate tiers): its files are there and small, its metadata says
    what it tags and how it was trained. Returns the metadata."""
    import json

    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    # an ensemble lists one ONNX file per fine-tuning seed; a single tagger has ``onnx_file`` only
    onnx_files = [m["onnx_file"] for m in meta.get("members", [])] or [meta["onnx_file"]]
    for name in (*onnx_files, "tokenizer.json", "metadata.json"):
        path = folder / name
        assert path.is_file(), path
        assert path.stat().st_size < MAX_MODEL_FILE_BYTES, path
    assert meta["span_types"] == list(span_types)
    hyper = meta["hyperparameters"]
    assert hyper.get("seeds", [hyper.get("seed")])[0] == 13
    assert meta["training"]["minutes"] > 0
    return meta


def send_body(handler, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict[str, str] | None = None) -> None:
    """One whole response from a loopback test server's request handler."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def run_offline_without_torch(code: str, timeout: int = 180) -> None:
    """Run ``code`` in a fresh interpreter with sockets disabled and torch / transformers unimportable
    (None in sys.modules makes the import raise ImportError); it must print "ok"."""
    import subprocess
    import sys

    prelude = (
        "import socket, sys\n"
        "sys.modules['torch'] = None\n"
        "sys.modules['transformers'] = None\n"
        "def _no_net(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = _no_net\n"
        "socket.create_connection = _no_net\n"
    )
    env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, env=env,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@dataclass
class CliRun:
    """A ``sourcetrace`` command run in this process: its exit status and its output, as bytes or with ``text``
    as str (what ``subprocess.run`` would have given)."""
    returncode: int
    stdout: bytes | str
    stderr: bytes | str


def invoke_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
               env: dict[str, str] | None = None, text: bool = False) -> CliRun:
    """``sourcetrace ARGS`` in this process, through the console entry point (``sourcetrace.cli.main``: its
    one-line errors and exit codes), with standard input, output and error replaced by click's test runner.
    The spaCy pipeline and the models load once per test session, not once per command: each command started
    as a subprocess spent 3-10 s loading them. A few tests still start a real process (tests/test_cli.py)."""
    import sys
    import traceback

    from click.testing import CliRunner

    from sourcetrace.cli import main

    runner = CliRunner()
    with contextlib.chdir(cwd or Path.cwd()), runner.isolation(input=stdin, env={"COLUMNS": "120", **(env or {})}) as (out, err, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:  # as the interpreter exits: an int is the status, anything else is printed, status 1
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except Exception:  # an uncaught exception: the interpreter prints its traceback and exits with 1
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        if text:
            return CliRun(code, out.getvalue().decode(), err.getvalue().decode())
        return CliRun(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session", autouse=True)
def validate_every_report():
    """Every report any in-process test produces is checked against the committed JSON Schema
    and for span offsets, not only the ones a test looks at."""
    import json

    import jsonschema

    from sourcetrace import pipeline

    schema = json.loads((REPO / "schema" / "article-report.v1.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    original = pipeline.Analyzer.analyze_doc

    def checked(self, article, doc, *args, **kwargs):
        report = original(self, article, doc, *args, **kwargs)
        validator.validate(report.to_dict())
        assert_spans_index_text(report)
        return report

    pipeline.Analyzer.analyze_doc = checked
    yield
    pipeline.Analyzer.analyze_doc = original


@contextlib.contextmanager
def served(db: str):
    """``sourcetrace serve --db DB`` on a free loopback port, in a subprocess; yields its base URL once the list
    page answers (one BLAS/OpenMP thread: browser tests share two cores with the server)."""
    import subprocess
    import sys
    import time
    import urllib.request

    from sourcetrace.cli.bench_web import free_port

    port = free_port()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "sourcetrace", "serve", "--db", db, "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server did not start: {proc.communicate()[0][-2000:]}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# articles written for the structure and speaker tests (tests/data/structure/*.txt)
STRUCTURE_ARTICLES = REPO / "tests" / "data" / "structure"


@pytest.fixture(scope="module")
def read(analyzer):
    """``read(name)``: the live analysis of one written article, analysed once per test module."""
    from sourcetrace.model import Article

    cache = {}

    def read(name: str):
        if name not in cache:
            text = (STRUCTURE_ARTICLES / name).read_text(encoding="utf-8")
            cache[name] = analyzer.analyze(Article(text=text, id=name))
        return cache[name]

    return read


def statements(report) -> list[tuple[str | None, str | None, str]]:
    """(source mention, resolved speaker name, content) of every attribution, in text order."""
    sources = {s.id: s for s in report.sources}
    return [(a.source.text if a.source else None, sources[a.source_id].name if a.source_id in sources else None,
             a.content.text) for a in report.attributions]
