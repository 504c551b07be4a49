"""Hostile and careless input, on real files, real loopback servers and real spaCy parses: bad records in a
batch, field types, lone surrogates, encodings, bounded readers, fetches that bomb, drip or rebind, malformed
requests to the web app, pathological text."""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib

import pytest

from sourcetrace import ingest
from sourcetrace.errors import InputError
from sourcetrace.ingest import ReadOptions, is_public_address, read_inputs
from sourcetrace.model import Article

from _store_support import store, store_url  # noqa: F401  (fixtures)
from conftest import assert_spans_index_text, send_body
from test_cli import assert_one_line_errors, run_cli, run_process

GOOD = "The harbor authority said on Tuesday that the ferry fares would rise, according to a statement."


def split(results):
    results = list(results)
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, InputError)]


# ------------------------------------------------------------------ batches: one bad record is one error

BAD_RECORDS = [
    ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"text": "x said y.", "n": ' + "9" * 5000 + "}", "4300"),
    ('{"text": "The mayor said so.", "title": 42}', 'field "title" must be a string, not a number'),
    ('{"text": "The mayor said so.", "outlet": ["A", "B"]}', 'field "outlet" must be a string, not an array'),
    ('{"text": "The mayor said so.", "url": {"href": "x"}}', 'field "url" must be a string, not an object'),
    ('{"text": "The mayor said so.", "language": true}', 'field "language" must be a string, not a boolean'),
    ('{"text": 7}', 'field "text" must be a string, not a number'),
    ('{"text": "The mayor said so.", "authors": ["A", 3]}', 'field "authors" must be a string or an array of strings'),
    ('["not", "an", "object"]', "expected a JSON object, got an array"),
]


def test_each_bad_record_is_one_error_naming_line_and_field(tmp_path):
    lines = [json.dumps({"id": "good-1", "text": GOOD})]
    lines += [record for record, _ in BAD_RECORDS]
    lines.append(json.dumps({"id": "good-2", "text": GOOD + " Again.", "published": 2024}))
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = split(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["good-1", "good-2"] and articles[1].published == "2024"
    assert len(errors) == len(BAD_RECORDS)
    for lineno, (error, (_, reason)) in enumerate(zip(errors, BAD_RECORDS), 2):
        assert error.origin == f"{path}:{lineno}" and reason in error.reason, (lineno, str(error))


def test_good_bad_good_jsonl_stores_both_good_records(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "first", "text": GOOD}),
        '{"id": "bad", "text": "The mayor said so.", "title": {"deep": ' + "[" * 5000 + "]" * 5000 + "}}",
        json.dumps({"id": "third", "text": GOOD.replace("ferry", "bus")}),
    ]) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    proc = run_cli("ingest", str(path), "--db", db)
    (error,) = assert_one_line_errors(proc.stderr.decode(), expected=1)
    assert error.startswith(f"error: {path}:2: ") and proc.returncode == 1
    from sourcetrace.store import Store

    stored = Store(db)
    assert {r.id for r in stored.iter_reports()} == {"first", "third"}
    stored.close()


def test_lone_surrogates_are_replaced_with_a_warning_everywhere(tmp_path):
    path = tmp_path / "surrogates.jsonl"
    path.write_text('{"id": "s", "text": "The mayor said \\ud800 the bridge is safe.", "title": "T\\udfff"}\n', encoding="utf-8")
    (article,), errors = split(read_inputs([str(path)]))
    assert not errors and article.text == "The mayor said \ufffd the bridge is safe." and article.title == "T\ufffd"
    assert article.warnings == ["replaced 2 lone surrogate code points (not valid Unicode text) with U+FFFD"]
    import sourcetrace

    report = sourcetrace.analyze("\udfff the mayor said.")
    assert report.text == "\ufffd the mayor said." and "lone surrogate" in report.warnings[0]
    json.loads(report.to_json())  # serialisable: the crash was here
    proc = run_cli("analyze", str(path), "-f", "json")
    assert proc.returncode == 0 and "warning: " in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


# ------------------------------------------------------------------ bounded readers

def test_a_gz_line_over_the_limit_is_skipped_in_pieces(tmp_path):
    path = tmp_path / "huge-line.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": GOOD}) + "\n")
        fh.write('{"text": "' + "x" * 30_000_000 + '"}\n')  # 30 MB of one line, 30 KB compressed
        fh.write(json.dumps({"id": "c", "text": GOOD + " More."}) + "\n")
    tracemalloc.start()
    try:
        articles, errors = split(read_inputs([str(path)], ReadOptions(max_bytes=1_000_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [a.id for a in articles] == ["a", "c"]
    assert [str(e) for e in errors] == [f"{path}:2: line over the 1,000,000-byte limit (raise it with --max-bytes)"]
    assert peak < 8_000_000  # the 30 MB line was never held


def test_a_gz_array_that_decompresses_past_the_limit_is_refused(tmp_path):
    path = tmp_path / "array.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps([{"text": "y" * 2_000_000}]))
    _, (error,) = split(read_inputs([str(path)], ReadOptions(max_bytes=1_000_000)))
    assert "decompresses to over the 1,000,000-byte limit" in error.reason


def test_a_device_that_reports_zero_bytes_is_read_only_to_the_limit():
    started = time.monotonic()
    _, (error,) = split(read_inputs(["/dev/zero"], ReadOptions(max_bytes=100_000)))
    assert "over the 100,000-byte limit" in error.reason and time.monotonic() - started < 5


def test_an_empty_warc_says_so(tmp_path):
    path = tmp_path / "empty.warc"
    path.write_bytes(b"")
    _, (error,) = split(read_inputs([str(path)]))
    assert error.reason == "no HTML response records in the WARC file"


# ------------------------------------------------------------------ decoding

WINDOWS_1252 = "Le maire a dit : \u201cC\u2019est tr\u00e8s s\u00fbr\u201d, selon l\u2019\u00e9quipe du caf\u00e9. "


def test_windows_1252_with_curly_quotes_is_decoded_right_and_the_guess_recorded(tmp_path):
    path = tmp_path / "cp1252.txt"
    text = WINDOWS_1252 + "\u201cIt will reopen in May,\u201d the mayor said."
    path.write_bytes(text.encode("cp1252"))
    (article,), _ = split(read_inputs([str(path)]))
    assert article.text == text
    assert article.warnings == ["not UTF-8 and no charset declared: read as Windows-1252 (a guess)"]
    proc = run_cli("analyze", str(path), "-f", "json")
    report = json.loads(proc.stdout)
    assert "Windows-1252" in report["warnings"][0]
    assert any(a["content"]["text"] == "\u201cIt will reopen in May,\u201d" for a in report["attributions"])


def test_declared_latin1_is_read_as_windows_1252_without_a_warning(tmp_path):
    from test_ingest import HTML_PAGE

    page = HTML_PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').replace(
        "said council member Ada Brooks", "said caf\u00e9 owner Ada Brooks, \u201ctr\u00e8s\u201d")
    path = tmp_path / "latin1.html"
    path.write_bytes(page.encode("cp1252"))
    (article,), _ = split(read_inputs([str(path)]))
    assert "caf\u00e9 owner Ada Brooks, \u201ctr\u00e8s\u201d" in article.text and article.warnings == []


def test_utf16_without_a_bom_and_other_scripts(tmp_path):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes((GOOD * 3).encode("utf-16-le"))
    cyrillic = tmp_path / "cp1251.txt"
    russian = "\u041c\u044d\u0440 \u0441\u043a\u0430\u0437\u0430\u043b, \u0447\u0442\u043e \u043c\u043e\u0441\u0442 \u0431\u0435\u0437\u043e\u043f\u0430\u0441\u0435\u043d. " * 20
    cyrillic.write_bytes(russian.encode("cp1251"))
    (a16, a1251), errors = split(read_inputs([str(utf16), str(cyrillic)]))
    assert not errors
    assert a16.text == GOOD * 3 and a16.warnings == ["no byte-order mark: read as UTF-16-LE from its byte pattern"]
    # another script: charset_normalizer's guess is taken (its choice among Cyrillic code pages may differ), never silently
    assert ingest._latin_share(a1251.text) == 0 and "a guess; check the text" in a1251.warnings[0]


# ------------------------------------------------------------------ fetching

def test_non_global_addresses_are_refused():
    for address in ["100.64.0.1", "100.100.100.200", "192.0.0.5", "fec0::1", "2002:7f00:1::1", "2002:a9fe:a9fe::1",
                    "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "127.0.0.1",
                    "10.1.2.3", "169.254.169.254", "::1", "0.0.0.0", "224.0.0.1", "ff02::1", "198.18.0.1"]:
        assert not is_public_address(address), address
    for address in ["8.8.8.8", "2606:4700::1", "64:ff9b::808:808", "2002:808:808::1"]:
        assert is_public_address(address), address


@pytest.mark.parametrize("url", ["http://[::1", "http://" + "a" * 300 + ".example/", "http://x.example:99999/"])
def test_malformed_urls_are_one_error(url):
    _, (error,) = split(read_inputs([url]))
    assert "malformed URL" in error.reason
    proc = run_cli("analyze", url)
    assert_one_line_errors(proc.stderr.decode(), expected=1)
    assert proc.returncode == 1


@functools.lru_cache(maxsize=1)
def double_gzip_bomb() -> bytes:
    """About 1 KB that decodes to 200 MB through two gzip layers, built without holding the 200 MB."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * 1_000_000
    layer = b"".join(inner.compress(zeros) for _ in range(200)) + inner.flush()
    return gzip.compress(layer, 9)


class Hostile(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen_hosts: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).seen_hosts.append(self.headers.get("Host"))
        if self.path == "/bomb":
            send_body(self, double_gzip_bomb(), "text/html", headers={"Content-Encoding": "gzip, gzip"})
        elif self.path in ("/drip", "/drip-headers"):
            self.send_response(200)
            if self.path == "/drip":
                self.send_header("Content-Type", "text/html")
                self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"X-Drip: 1\r\n" if self.path == "/drip-headers" else b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass
        elif self.path == "/bad-redirect":
            self.send_response(302)
            self.send_header("Location", "http://[::1")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            from test_ingest import HTML_PAGE

            send_body(self, HTML_PAGE.encode("utf-8"))

    def log_message(self, *args):
        pass


def serve(address: str, port: int = 0, handler=Hostile) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer((address, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def hostile(monkeypatch):
    """A loopback server that stands for a public one: 127.0.0.1 (only) passes the public-address check."""
    Hostile.seen_hosts = []
    server = serve("127.0.0.1")
    monkeypatch.setattr(ingest, "is_public_address", lambda ip: ip == "127.0.0.1")
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


PUBLIC = ReadOptions(allow_private_urls=False, max_bytes=10 * 1024 * 1024, timeout=3)


def test_a_double_gzip_bomb_is_stopped_at_the_decoded_limit(hostile):
    assert len(double_gzip_bomb()) < 2_000
    tracemalloc.start()
    try:
        _, (error,) = split(read_inputs([hostile + "/bomb"], PUBLIC))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "over the 10,485,760-byte limit (decoded)" in error.reason
    assert peak < 40_000_000  # the 10 MB body and little else; httpx alone inflated it whole


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_a_slow_drip_meets_the_whole_fetch_deadline(hostile, path):
    started = time.monotonic()
    _, (error,) = split(read_inputs([hostile + path], ReadOptions(allow_private_urls=False, timeout=1.5)))
    assert "timed out after 1.5 s" in error.reason
    assert time.monotonic() - started < 3


def test_a_redirect_to_a_malformed_url_is_an_error(hostile):
    _, (error,) = split(read_inputs([hostile + "/bad-redirect"], PUBLIC))
    assert "malformed URL" in error.reason or "Invalid URL in location header" in error.reason, error.reason


def test_rebinding_the_second_answer_is_never_used(monkeypatch):
    """The name answers 127.0.0.1 (standing for a public address) and then 127.0.0.2 (the internal server):
    the fetch resolves once and connects to the address it checked, with the original Host header."""
    Hostile.seen_hosts = []
    public = serve("127.0.0.1")
    port = public.server_port

    class Internal(Hostile):
        hits: list[str] = []

        def do_GET(self):  # noqa: N802
            Internal.hits.append(self.path)
            super().do_GET()

    internal = serve("127.0.0.2", port, Internal)
    answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 10)
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(ingest, "is_public_address", lambda ip: ip == "127.0.0.1")
    try:
        (article,), errors = split(read_inputs([f"http://rebind.test:{port}/article"], PUBLIC))
    finally:
        public.shutdown()
        internal.shutdown()
    assert not errors and "rebuild the Mill Street bridge" in article.text
    assert lookups == ["rebind.test"] and Internal.hits == []
    assert Hostile.seen_hosts == [f"rebind.test:{port}"]


# ------------------------------------------------------------------ the web app

@pytest.fixture
def app_client(store):
    from fastapi.testclient import TestClient

    from sourcetrace.web.app import create_app

    with TestClient(create_app(store, token="s3cret")) as client:
        client.headers["Authorization"] = "Bearer s3cret"
        yield client


LIST_ROUTES = ["/", "/sources", "/api/v1/articles", "/api/v1/search?q=x", "/api/v1/sources"]


@pytest.mark.parametrize("route", LIST_ROUTES)
@pytest.mark.parametrize("page", [2**63, 2**64 + 5, 1_000_001, 0, -1, "x"])
def test_page_numbers_out_of_range_are_one_line_422s(app_client, route, page):
    sep = "&" if "?" in route else "?"
    response = app_client.get(f"{route}{sep}page={page}")
    assert response.status_code == 422
    message = response.json()["error"] if route.startswith("/api/") else response.text
    assert "page" in message and "\n" not in message


def test_malformed_bodies_and_urls_are_4xx(app_client):
    bad_json = app_client.post("/api/v1/analyze", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 422 and "\n" not in bad_json.json()["error"]
    wrong_type = app_client.post("/api/v1/analyze", json={"text": 5})
    assert wrong_type.status_code == 422 and "text" in wrong_type.json()["error"]
    for url in ["http://[::1", "http://" + "b" * 300 + ".example/"]:
        response = app_client.post("/api/v1/analyze", json={"url": url})
        assert response.status_code == 400 and "malformed URL" in response.json()["error"]
        assert app_client.post("/analyze", data={"url": url}).status_code == 400


def test_lone_surrogate_in_the_json_api_is_a_warning(app_client):
    response = app_client.post("/api/v1/analyze", content=b'{"text": "The mayor said \\ud800 it was safe.", "title": "\\udc00"}',
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    report = response.json()
    assert report["title"] == "\ufffd" and "lone surrogate" in report["warnings"][0]


def test_token_exchange_never_redirects_off_site(store):
    from fastapi.testclient import TestClient

    from sourcetrace.web.app import create_app

    with TestClient(create_app(store, token="s3cret")) as client:
        for path in ["//evil.example/", "/\\evil.example/", "///evil.example/x"]:
            client.cookies.clear()  # the first exchange set the cookie
            response = client.get("http://testserver" + path, params={"token": "s3cret"}, follow_redirects=False)
            location = response.headers.get("location", "")
            assert response.status_code == 303 and location.startswith("/") and not location.startswith(("//", "/\\"))
    with pytest.raises(ValueError):
        create_app(store, token="")


def test_outlets_with_a_slash_open(store):
    from fastapi.testclient import TestClient

    from sourcetrace.model import ArticleReport
    from sourcetrace.web.app import create_app

    for outlet in ["News/Opinion", "A?B#C", "100% Fed Up"]:
        store.add(Article(text=f"Text from {outlet}."), ArticleReport(id=outlet, text=f"Text from {outlet}.", outlet=outlet,
                                                                         published="2024-01-02"))
    with TestClient(create_app(store)) as client:
        listing = client.get("/outlets").text
        for outlet in ["News/Opinion", "A?B#C", "100% Fed Up"]:
            from urllib.parse import quote

            assert client.get(f"/outlets/{quote(outlet)}").status_code == 200, outlet
            assert client.get(f"/api/v1/outlets/{quote(outlet, safe='')}/timeline").status_code == 200, outlet
        assert 'href="/outlets/News/Opinion"' in listing


def test_serve_refuses_an_empty_token_and_a_missing_database(tmp_path):
    proc = run_cli("serve", "--db", str(tmp_path / "corpsu.db"))
    (error,) = assert_one_line_errors(proc.stderr.decode(), expected=1)
    assert proc.returncode == 2 and "no such database file" in error and "--create" in error
    assert not (tmp_path / "corpsu.db").exists()
    proc = run_cli("serve", "--db", str(tmp_path / "x.db"), "--create", "--token", "")
    assert proc.returncode == 2 and "empty token" in proc.stderr.decode()


def test_output_into_a_missing_folder_is_refused_before_the_analysis(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    started = time.monotonic()
    # a real process: in this one spaCy is loaded already, and the time bound would not show it was not loaded
    proc = run_process("analyze", str(good), "-o", str(tmp_path / "missing" / "out.json"))
    (error,) = assert_one_line_errors(proc.stderr.decode(), expected=1)
    assert proc.returncode == 2 and "no such directory" in error
    assert time.monotonic() - started < 20  # refused before spaCy loaded


# ------------------------------------------------------------------ a flood of slow fetches

def test_a_flood_of_slow_fetches_leaves_pages_answering(store, monkeypatch):
    import httpx
    import uvicorn

    from sourcetrace.web.app import create_app

    site = serve("127.0.0.1")
    monkeypatch.setattr(ingest, "is_public_address", lambda ip: ip == "127.0.0.1")
    app = create_app(store)
    app.state.analysis.read_options = ReadOptions(allow_private_urls=False, timeout=4)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.05)
    statuses: list[int] = []

    def slow_fetch():
        with httpx.Client(timeout=30) as client:
            statuses.append(client.post(base + "/api/v1/analyze", json={"url": f"http://127.0.0.1:{site.server_port}/drip"}).status_code)

    flood = [threading.Thread(target=slow_fetch) for _ in range(45)]
    try:
        for thread in flood:
            thread.start()
        time.sleep(1.0)  # the flood is in: every admitted fetch is dripping
        with httpx.Client(timeout=10) as client:
            for path in ["/", "/api/v1/articles", "/outlets", "/analyze"]:
                started = time.monotonic()
                assert client.get(base + path).status_code == 200
                assert time.monotonic() - started < 1.0, path
        for thread in flood:
            thread.join(30)
    finally:
        server.should_exit = True
        site.shutdown()
    assert statuses.count(503) >= 40 and set(statuses) <= {400, 503}  # 4 fetch (and time out), the rest are told to retry


def test_a_heavy_analysis_leaves_pages_answering(store):
    """A long emoji text analysed in a worker thread: pages and the API are served meanwhile."""
    import httpx
    import uvicorn

    from sourcetrace.web.app import create_app

    app = create_app(store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.05)
    outcome = []

    def heavy():
        with httpx.Client(timeout=300) as client:
            outcome.append(client.post(base + "/api/v1/analyze", json={"text": GOOD + " " + "\U0001F600" * 15_000}).status_code)

    try:
        with httpx.Client(timeout=10) as client:
            client.post(base + "/api/v1/analyze", json={"text": GOOD})  # the model is loaded before timing
            thread = threading.Thread(target=heavy)
            thread.start()
            latencies = []
            while thread.is_alive():
                started = time.monotonic()
                assert client.get(base + "/api/v1/articles").status_code == 200
                latencies.append(time.monotonic() - started)
                time.sleep(0.05)
            thread.join()
    finally:
        server.should_exit = True
    assert outcome == [200] and len(latencies) > 5 and max(latencies) < 1.0, latencies


# ------------------------------------------------------------------ pathological and long text

def test_long_runs_of_symbols_cost_linear_time(analyzer):
    timings = {}
    for n in (2_000, 8_000):
        text = "The mayor said the bridge is safe. " + "\U0001F600" * n + " \u201c" * 10 + '"' * n + " Critics said it was not."
        # CPU time of this process, not wall time: other processes on a busy machine do not count
        started = time.process_time()
        report = analyzer.analyze(Article(text=text))
        timings[n] = time.process_time() - started
        assert report.text == text
        assert_spans_index_text(report)
        assert report.attributions
    # quadratic would be 16x; allow for a busy machine
    assert timings[8_000] < 8 * timings[2_000] + 1.0, timings


def test_ordinary_text_is_tokenized_as_before(analyzer):
    from sourcetrace.textguard import run_cuts

    text = "He said: \u201cNo.\u201d \u2014 see https://example.com/a/very/long/path?with=query&and=more#anchor " * 20 + "=" * 100
    assert run_cuts(text) == []
    assert [t.text for t in analyzer.nlp(text)] == [t.text for t in analyzer.nlp.tokenizer(text)]


def test_long_texts_are_parsed_in_pieces_with_exact_offsets(analyzer, monkeypatch):
    from sourcetrace import nlp as nlp_module

    text = "\n\n".join(f"Paragraph {i}: the mayor said the bridge number {i} is safe, officials said." for i in range(200))
    whole = analyzer.analyze(Article(text=text))
    monkeypatch.setattr(nlp_module, "PARSE_CHUNK_CHARS", 2_000)
    doc = nlp_module.parse(analyzer.nlp, text)
    assert doc.text == text and len(list(doc.sents)) >= 200
    pieced = analyzer.analyze(Article(text=text))
    assert_spans_index_text(pieced)
    assert len(pieced.attributions) == len(whole.attributions)


def test_text_over_max_chars_is_cut_with_a_warning(analyzer):
    from sourcetrace.pipeline import AnalysisOptions, Analyzer

    short = Analyzer(AnalysisOptions(max_chars=300), extractors=analyzer.extractors)
    short.nlp = analyzer.nlp
    text = "\n".join(f"Line {i}: the mayor said the bridge is safe." for i in range(40))
    report = short.analyze(Article(text=text))
    assert len(report.text) <= 300 and text.startswith(report.text) and report.text.endswith("\n")
    assert report.id == Analyzer.prepare.__globals__["article_id"](Article(text=text))
    assert "over the 300-character limit" in report.warnings[0]


def test_time_limit_skips_the_remaining_extractors(analyzer):
    from sourcetrace.pipeline import AnalysisOptions, Analyzer

    def slow(ctx):
        time.sleep(0.3)

    limited = Analyzer(AnalysisOptions(time_limit=0.1), extractors=[slow, *analyzer.extractors])
    limited.nlp = analyzer.nlp
    report = limited.analyze(Article(text=GOOD))
    assert report.attributions == [] and "0.1-second time limit" in report.warnings[0]


# about 80,000 characters of ordinary paragraphs with quotes: well over what parses in a couple of seconds here
LONG_PROSE = "\n\n".join(f"The council voted {i} to {i % 7} on day {i} to rebuild bridge number {i * 7 % 1000}, officials said. "
                           f"\u201cWe will not wait another year,\u201d the mayor told reporters on day {i}." for i in range(700))


def _limited(analyzer, time_limit):
    from sourcetrace.languages import choose
    from sourcetrace.pipeline import AnalysisOptions, Analyzer

    choose(Article(text=LONG_PROSE))  # the language detector loads on its first use: not an analysis's time
    limited = Analyzer(AnalysisOptions(time_limit=time_limit), extractors=analyzer.extractors)
    limited.nlp = analyzer.nlp
    return limited


def test_time_limit_bounds_the_parse_and_cuts_the_text(analyzer):
    from sourcetrace.pipeline import article_id

    limited = _limited(analyzer, 5.0)
    started = time.monotonic()
    report = limited.analyze(Article(text=LONG_PROSE))
    elapsed = time.monotonic() - started
    assert 0 < len(report.text) < len(LONG_PROSE) and LONG_PROSE.startswith(report.text)
    assert "could not be analysed within the 5-second time limit: only the first" in report.warnings[0]
    assert report.id == article_id(Article(text=LONG_PROSE))
    assert "the mayor" in {a.source.text for a in report.attributions if a.source}
    assert_spans_index_text(report)
    # the whole text takes 20-45 s here; the parse may overrun by a piece sized to the time left, and an extractor
    # begun in time runs to its end
    assert elapsed < 5.0 * 2, elapsed


def test_time_limit_that_fits_changes_nothing(analyzer):
    text = "\n\n".join(LONG_PROSE.split("\n\n")[:40])
    limited = _limited(analyzer, 600.0)
    assert limited.analyze(Article(text=text)).to_json() == analyzer.analyze(Article(text=text)).to_json()


def test_time_limit_with_no_time_to_parse_is_a_refusal_and_a_stream_goes_on(analyzer):
    from sourcetrace.pipeline import TimeLimitExceeded

    refusing = _limited(analyzer, 0.001)
    with pytest.raises(TimeLimitExceeded, match="0.001-second time limit left no time to parse this 5,000-character"):
        refusing.analyze(Article(text="a" * 5_000))
    limited = _limited(analyzer, 2.0)
    outcomes = list(limited.analyze_stream([Article(text=LONG_PROSE), Article(text=GOOD)]))
    (_, long_report), (_, short_report) = outcomes
    assert len(long_report.text) < len(LONG_PROSE) and "2-second time limit" in long_report.warnings[0]
    assert short_report.text == GOOD and short_report.warnings == [] and short_report.attributions


def test_time_limit_on_fuzz_cases_keeps_texts_and_spans_exact(analyzer):
    """Adversarial texts under a tight limit: a cut text is a prefix of the input and every span its slice."""
    from sourcetrace.errors import TimeLimitExceeded
    from sourcetrace.fuzzing import make_case
    from sourcetrace.ingest import read_text
    from sourcetrace.textguard import replace_lone_surrogates

    limited = _limited(analyzer, 0.3)
    cut = 0
    for index in range(30_000, 30_040):
        text = make_case(0, index)
        if not text.strip():
            continue
        try:
            report = limited.analyze(read_text(text, origin=f"case {index}"))
        except TimeLimitExceeded:  # a refusal is allowed (no time left to parse anything), never another error
            continue
        expected, _ = replace_lone_surrogates(text)
        assert expected.startswith(report.text), index
        cut += len(report.text) < len(expected)
        assert_spans_index_text(report)
    assert cut > 0  # the limit did cut some (these cases run to 6,000 characters and more)


def test_time_limit_in_the_cli_and_the_web_api(tmp_path, store):
    from fastapi.testclient import TestClient

    from sourcetrace.pipeline import AnalysisOptions
    from sourcetrace.web.app import create_app

    path = tmp_path / "long.txt"
    path.write_text(LONG_PROSE, encoding="utf-8")
    proc = run_cli("analyze", str(path), "-f", "json", "--time-limit", "3")
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert len(report["text"]) < len(LONG_PROSE) and "3-second time limit" in report["warnings"][0]
    with TestClient(create_app(store, options=AnalysisOptions(time_limit=3.0))) as client:
        client.post("/api/v1/analyze", json={"text": GOOD})  # the pipeline and the language detector load first
        response = client.post("/api/v1/analyze", json={"text": LONG_PROSE})
    assert response.status_code == 200
    report = response.json()
    assert len(report["text"]) < len(LONG_PROSE) and "3-second time limit" in report["warnings"][0]


def test_a_1_mb_page_is_analysed_within_limits_and_a_memory_bound(tmp_path):
    """A 1 MB page of ordinary paragraphs: the text is cut to --max-chars, parsed in pieces, and the process
    stays within a memory bound (it reached 3.6 GB before)."""
    from test_ingest import HTML_PAGE

    paragraphs = "".join(f"<p>The council voted {i} to {i % 7} on day {i} to rebuild bridge number {i * 7 % 1000}, "
                         f"officials said, and residents feared {i % 13} months of detours.</p>\n" for i in range(7_500))
    page = HTML_PAGE.replace("</article>", paragraphs + "</article>")
    assert len(page) > 1_000_000
    path = tmp_path / "long.html"
    path.write_text(page, encoding="utf-8")
    # the peak of this process's own memory (VmHWM is per address space, new at exec); ru_maxrss is not: Linux
    # keeps it across fork and exec, so a child of a large pytest process reports the parent's size
    code = ("import re, sys; from sourcetrace.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "print(int(hwm) // 1024, file=sys.stderr)\nsys.exit(code)\n")
    proc = subprocess.run([sys.executable, "-c", code, "analyze", str(path), "-f", "json", "--max-chars", "150000"],
                          capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert len(report["text"]) <= 150_000 and "over the 150,000-character limit" in report["warnings"][0]
    peak_mib = int(proc.stderr.decode().strip().splitlines()[-1])
    assert peak_mib < 1200, peak_mib


# ------------------------------------------------------------------ properties (hypothesis)

from hypothesis import given, settings, strategies as st  # noqa: E402

_texty = st.text(alphabet=st.sampled_from(list("ab .,\n\u201c\u201d\"'\U0001F600\u00a7-") + ["\ud800", "\udfff"]), max_size=3000)


@settings(max_examples=200, deadline=None)
@given(_texty)
def test_run_cuts_and_parse_chunks_keep_the_text(text):
    from sourcetrace.textguard import PATHOLOGICAL_RUN, parse_chunks, replace_lone_surrogates, run_cuts

    assert "".join(parse_chunks(text, 500)) == text
    assert all(len(chunk) <= 500 for chunk in parse_chunks(text, 500)[:-1])
    cuts = run_cuts(text)
    assert cuts == sorted(set(cuts)) and all(0 < c < len(text) for c in cuts)
    import re

    if not re.search(r"[^\w\s]{%d,}" % PATHOLOGICAL_RUN, text):
        assert cuts == []
    clean, n = replace_lone_surrogates(text)
    assert len(clean) == len(text) and n == text.count("\ud800") + text.count("\udfff")
    clean.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decoding_any_bytes_is_text_or_one_input_error(data):
    try:
        decoded = ingest.decode_text(data, "x")
    except InputError as exc:
        assert exc.origin == "x"
        return
    assert isinstance(decoded.text, str)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=50), st.integers(), st.none(), st.booleans(),
                          st.lists(st.integers(), max_size=3)), min_size=1, max_size=8))
def test_any_json_record_is_an_article_or_one_error(values):
    fields = ["text", "title", "outlet", "url", "language", "id", "published", "authors"]
    record = dict(zip(fields, values))
    results = list(ingest.read_json_lines([json.dumps(record)], "f.jsonl"))
    assert len(results) == 1
    if isinstance(results[0], InputError):
        assert results[0].origin == "f.jsonl:1"


# ------------------------------------------------------------------ bench fuzz

def test_fuzz_cases_pass_and_a_broken_analysis_is_caught(analyzer):
    from sourcetrace.fuzzing import FuzzResult, check_case, make_case

    assert make_case(7, 3) == make_case(7, 3) and make_case(7, 3) != make_case(7, 4)  # reproducible from seed and number
    result = FuzzResult()
    for index in range(25):
        check_case(analyzer, 0, index, result, seconds_per_kchar=2.0, floor_seconds=5.0)
    assert result.cases == 25 and result.failures == [], result.failures

    class Broken:
        options = analyzer.options

        def analyze(self, article):
            report = analyzer.analyze(article)
            if report.attributions:
                report.attributions[0].content.text += "!"  # a span that is no longer its slice
            return report

    caught = FuzzResult()
    for index in range(25):
        check_case(Broken(), 0, index, caught, seconds_per_kchar=2.0, floor_seconds=5.0)
    assert any("is not its slice" in failure for failure in caught.failures)


def test_fuzz_blocks_cover_the_cases_in_order():
    from sourcetrace.fuzzing import blocks

    assert blocks(5, 12, 5) == [range(5, 10), range(10, 15), range(15, 17)]
    assert [i for b in blocks(0, 100_000, 50) for i in b] == list(range(100_000))


# ------------------------------------------------------------------ long texts: look-ups by position

def _brute_link_nested(attributions):
    parents = {}
    for a in attributions:
        if a.cue is None:
            continue
        holders = [b for b in attributions if b is not a and b.content.start <= a.cue.start and a.cue.end <= b.content.end]
        if holders:
            parents[a.id] = min(holders, key=lambda b: b.content.end - b.content.start).id
    return parents


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 60), st.integers(0, 300), st.integers(0, 8),
                          st.sampled_from([0, 1, 2500]), st.booleans()), max_size=25))
def test_position_look_ups_match_a_scan_of_every_range(rows):
    """link_nested, the loaded-language speaker and the RangeIndex they use give what testing every
    attribution gives, long contents (over RangeIndex's 2,000) and nesting included."""
    from sourcetrace.extractors.attributions.fast import link_nested
    from sourcetrace.extractors.propaganda.loaded_language import speaker_for
    from sourcetrace.model import Attribution, Span
    from sourcetrace.textspans import RangeIndex

    text = "x" * 3_000
    attributions = [Attribution(id=f"a{k}", content=Span.of(text, start, start + length + extra),
                                cue=Span.of(text, cue, cue + cue_len) if has_cue else None, form="indirect",
                                source_id=f"s{k}")
                    for k, (start, length, cue, cue_len, extra, has_cue) in enumerate(rows)]
    expected = _brute_link_nested(attributions)
    assert {a.id: a.parent for a in link_nested(attributions) if a.parent} == expected
    ranges = [(a.content.start, a.content.end) for a in attributions]
    index = RangeIndex(ranges)
    for start in range(0, 320, 7):
        for end in (start, start + 3, start + 40):
            found = index.candidates(start, end)
            assert found == sorted(found)
            overlapping = [k for k, (s, e) in enumerate(ranges) if min(end, e) > max(start, s) or s <= start and end <= e]
            assert set(overlapping) <= set(found)
            assert speaker_for(start, end, attributions, index) == speaker_for(start, end, attributions)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=12),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 40), st.sampled_from("abc")), max_size=15))
def test_loaded_language_rule_candidates_as_with_a_scan(tagged_rows, rule_rows):
    from sourcetrace.extractors.propaganda.model import combine

    tagged = [(s, s + n, 0.9) for s, n in tagged_rows]
    rules = [(s, s + n, rule) for s, n, rule in rule_rows]
    scores = {"a": 0.5, "b": 0.7}
    expected = list(tagged)
    for start, stop, rule in sorted(rules):
        if rule in scores and not any(min(stop, e) > max(start, s) for s, e, _ in expected):
            expected.append((start, stop, scores[rule]))
    assert combine(tagged, rules, scores) == sorted(expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=10))
def test_quotations_before_and_after_a_cue_as_with_a_scan(rows):
    from sourcetrace.extractors.attributions.features import DocFeatures

    quotes = [(s, s + n) for s, n in rows]
    df = DocFeatures(None, [], [], [], [], [], quotes, [], [], [])
    for pos in range(-1, 52):
        assert df.last_quote_ending_by(pos) == max((k for k, (_, qe) in enumerate(quotes) if qe <= pos), default=-2)
        assert df.first_quote_starting_from(pos) == min((k for k, (qs, _) in enumerate(quotes) if qs >= pos), default=-2)


def test_mention_index_look_ups_match_a_scan_on_a_real_parse(analyzer):
    from sourcetrace.extractors.sources.mentions import MentionIndex
    from sourcetrace.extractors.sources.words import source_lexicons
    from sourcetrace.lexicons import english

    text = ("The New York Times reported that Senator Jane Doe met John Smith. The Times said the Washington Post "
            "disagreed. Smith told the Post that Doe and Mary Major agreed, Reuters reported. The Post, the Times "
            "and Reuters said Major would speak. ") * 3
    index = MentionIndex(analyzer.nlp(text), source_lexicons(english()))
    assert len(index.persons) >= 6 and len(index.outlet_mentions) >= 6
    for start in range(0, len(index.doc), 3):
        for end in (start + 1, start + 6, start + 40):
            assert index.persons_within(start, end) == [e for e in index.persons if e.start >= start and e.end <= end]
        assert index.persons_before(start) == sum(e.start < start for e in index.persons)
    outlets = index.outlet_mentions
    for offset in range(0, len(text) + 1, 11):
        before = [c for off, c in outlets if off < offset]
        assert index.last_outlet_before(offset) == (before[-1] if before else None)
        for names in (("The New York Times",), ("The Washington Post", "The New York Times"), ("Nope",)):
            chosen = [c for off, c in outlets if off < offset and c in names]
            assert index.last_outlet_before(offset, names) == (chosen[-1] if chosen else None)
        for word in ("times", "post", "reuters"):
            ending = [c for off, c in outlets if off < offset and c.split()[-1].lower() == word and
                      index.last_outlet_ending_with.__globals__["normalise"](c) != word]
            assert index.last_outlet_ending_with(word, offset) == (ending[-1] if ending else None)
