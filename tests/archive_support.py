"""Archives written for the batch tests: a WARC (warcio) with every kind of record a crawl holds, and a JSONL."""
from __future__ import annotations

import io
import json
from pathlib import Path

ARTICLES = [
    ("https://harbor-ledger.example/2024/03/ferry", "2024-03-04", "Ferry service to resume",
     "Mayor Ana Ortiz said on Monday that the ferry service would resume in April after repairs to the pier. "
     "“We have waited long enough,” Ortiz told reporters at the harbor. According to a city report, the repairs "
     "cost 2 million dollars and took eleven months. Critics argued that the delay hurt local businesses, and "
     "several shop owners said they had lost customers over the winter. The transport agency denied that the "
     "work had been mismanaged and said the new pier would last for decades."),
    ("https://valley-post.example/news/school-budget", "2024-03-18", "School budget approved",
     "The school board approved a new budget on Tuesday, officials said. The plan adds twelve teachers and "
     "repairs the roof of the old gym, according to the district's finance office. “This budget puts students "
     "first,” said board chair Lena Park. Some parents claimed the plan ignored the needs of rural schools, "
     "while a teachers' union spokesman said the raise was smaller than promised. The budget takes effect "
     "in July, the board said."),
    ("https://northern-courier.example/a/flood-warning", "2024-04-02", "Flood warning for the river valley",
     "Forecasters warned on Wednesday that the river could flood low-lying streets by the weekend. The national "
     "weather service said heavy rain would continue for three days. Police urged residents to move their cars "
     "away from the embankment, and the fire department said it had filled thousands of sandbags. “We are ready "
     "for the worst,” the fire chief said. Residents reportedly began leaving the old town on Thursday morning."),
    ("https://harbor-ledger.example/2024/05/library", None, "Library reopens",
     "The central library reopened on Saturday after a two-year renovation, the city announced. Librarian Maria "
     "Chen said the building now has a children's wing and a room for local history. “People have missed this "
     "place,” Chen said. According to the council, visitor numbers are expected to double. A council member "
     "claimed that the project came in under budget, but an audit has not been published yet, officials said."),
]

GERMAN = ("Der Bürgermeister sagte am Montag, dass die Fähre im April wieder fahren werde. Die Reparaturen am Steg "
          "hätten elf Monate gedauert und zwei Millionen Euro gekostet, teilte die Stadt mit. Kritiker sagten, die "
          "Verzögerung habe den Geschäften im Hafen geschadet. Mehrere Ladenbesitzer erklärten, sie hätten im Winter "
          "viele Kunden verloren. Die Verkehrsbehörde wies die Vorwürfe zurück und sagte, der neue Steg werde "
          "Jahrzehnte halten.")

NAV_ONLY = "<html><body><nav>" + "".join(f"<a href='/s{i}'>Section {i}</a> " for i in range(40)) + "</nav></body></html>"


def page(title: str, text: str, date: str | None, lang: str = "en") -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in text.split(". ") if s.strip())
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>{meta}</head><body>'
            f'<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Contact us</footer></body></html>")


def _response(writer, url: str, body: bytes, ctype: str, status: str = "200 OK", headers=(), warc_date=None):
    from warcio.statusandheaders import StatusAndHeaders

    http = StatusAndHeaders(status, [("Content-Type", ctype), *headers], protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": warc_date} if warc_date else None
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict=warc_headers)
    writer.write_record(record)


WARC_DATE = "2024-05-11T08:30:00Z"


def write_crawl(path: Path, *, truncate_last: bool = True) -> dict:
    """A WARC.gz: four English articles (one undated, so WARC-Date stands in), a request record, a redirect, a PDF,
    a German article, a page of links only, the first article again under another URL, and finally a response
    cut off mid-record. Returns what a correct reading must find."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, date, title, text in ARTICLES:
        req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                        http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")], is_http_request=True))
        writer.write_record(req)
        _response(writer, url, page(title, text, date).encode("utf-8"), "text/html; charset=utf-8", warc_date=WARC_DATE)
    _response(writer, "https://valley-post.example/old-link", b"<html><body>Moved</body></html>", "text/html",
              status="301 Moved Permanently", headers=[("Location", "https://valley-post.example/news/school-budget")])
    _response(writer, "https://valley-post.example/budget.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    _response(writer, "https://harbor-ledger.example/de/faehre", page("Fähre", GERMAN, "2024-03-04", lang="de").encode("utf-8"),
              "text/html; charset=utf-8")
    _response(writer, "https://northern-courier.example/sections", NAV_ONLY.encode("utf-8"), "text/html")
    url, date, title, text = ARTICLES[0]
    _response(writer, "https://mirror.example/ferry-copy", page(title, text, date).encode("utf-8"), "text/html; charset=utf-8")
    complete = len(buffer.getvalue())
    _response(writer, "https://valley-post.example/news/cut-off", page("Cut off", ARTICLES[1][3], "2024-03-20").encode("utf-8"),
              "text/html; charset=utf-8")
    data = buffer.getvalue()
    if truncate_last:
        data = data[: complete + (len(data) - complete) // 2]
    path.write_bytes(data)
    return {"articles": len(ARTICLES), "responses": len(ARTICLES) + 5 + (0 if truncate_last else 1)}


def write_jsonl(path: Path) -> None:
    """Three articles (distinct from the crawl's) and one broken line (line 3)."""
    rows = [
        {"id": "j1", "outlet": "Coast Times", "published": "2024-02-10", "title": "Port strike ends",
         "text": "Dock workers ended their strike on Friday, the union said. “We got a fair deal,” union leader Sam "
                 "Reyes told reporters. According to the port authority, ships had waited for nine days. The company "
                 "said wages would rise by four percent, while analysts warned that prices could still climb. "
                 "Shipping firms reportedly began moving cargo again on Saturday morning."},
        {"id": "j2", "outlet": "Coast Times", "published": "2024-04-22", "title": "Bridge tolls",
         "text": "The state will raise bridge tolls next year, the transport minister said on Monday. Drivers will pay "
                 "one dollar more, according to a statement from the ministry. Commuter groups claimed the increase "
                 "would hit low-income workers hardest. “We have no other way to fund repairs,” the minister said. "
                 "Lawmakers are expected to vote on the plan in June, officials said."},
    ]
    lines = [json.dumps(rows[0]), "", '{"id": "broken", "text": "unfinished', json.dumps(rows[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
