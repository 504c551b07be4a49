"""Hand-written reports for the desk tests: real text, real offsets, stored in a real store."""
from __future__ import annotations

from sourcetrace.model import ArticleReport, Attribution, Source, Span


def said_report(article_id: str, outlet: str | None, published: str | None, sentences: list[tuple[str, str, str, bool, str, str]],
                title: str | None = None, extra: str = "") -> ArticleReport:
    """One sentence per statement, written as '<mention> said <content>.': (mention, source name, kind, named,
    content, stance). Sources with the same name share an id."""
    text, attributions, sources = "", [], {}
    for n, (mention, name, kind, named, content, stance) in enumerate(sentences, 1):
        start = len(text)
        text += f"{mention} said {content}. "
        cue = start + len(mention) + 1
        c_start = cue + 5
        sid = sources.setdefault(name, Source(id=f"s{len(sources) + 1}", name=name, kind=kind, named=named)).id
        sources[name].mentions.append(Span.of(text, start, start + len(mention)))
        attributions.append(Attribution(id=f"a{n}", source=Span.of(text, start, start + len(mention)),
                                        cue=Span.of(text, cue, cue + 4), content=Span.of(text, c_start, c_start + len(content)),
                                        form="indirect", source_id=sid, stance=stance))
    text += extra
    return ArticleReport(id=article_id, outlet=outlet, published=published, title=title or f"Article {article_id}",
                         text=text, attributions=attributions, sources=list(sources.values()))
