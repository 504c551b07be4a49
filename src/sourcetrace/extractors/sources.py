"""Group attribution sources into the article's sources (a first version: by surface name)."""
from __future__ import annotations

from ..model import Source
from . import register

ANONYMOUS_HEADS = {"official", "officials", "source", "sources", "outlets", "critics", "people", "person", "aide", "aides", "sources"}
DETERMINERS = ("the ", "a ", "an ")


def _key(name: str) -> str:
    low = name.lower().strip()
    for det in DETERMINERS:
        if low.startswith(det):
            low = low[len(det):]
    return low


class SimpleSourceLinker:
    name = "sources"

    def __call__(self, ctx) -> None:
        by_key: dict[str, Source] = {}
        for attribution in ctx.report.attributions:
            if attribution.source is None:
                continue
            key = _key(attribution.source.text)
            source = by_key.get(key)
            if source is None:
                head = key.split()[-1] if key else ""
                source = Source(
                    id=f"s{len(by_key) + 1}",
                    name=attribution.source.text,
                    named=head not in ANONYMOUS_HEADS and attribution.source.text[:1].isupper(),
                )
                by_key[key] = source
            source.mentions.append(attribution.source)
            attribution.source_id = source.id
        ctx.report.sources = list(by_key.values())


@register("sources", order=20)
def make_source_linker(options):
    return SimpleSourceLinker()
