"""The structure an HTML page gives its article: typed lines of the extracted text, from the page's own markup.

trafilatura's plain text loses what the markup said: a ``<blockquote>``, an ``<h2>``, a ``<li>``, a tweet
embed are all just lines, which ``extractors.structure`` would have to guess at again. Here the same
extraction's XML tree (``Document.body``: ``head``, ``quote``, ``item``, ``p``) and the original page (the
XPath rules of ``data/lexicons/structure_markup.txt``: figcaptions, credits, bylines, asides, embedded posts)
are mapped back onto the text: an element types the lines whose words are exactly its words (whitespace
aside), so every region is whole lines of the text and no two overlap. ``StructureReader`` types the
remaining lines, and the lines the markup calls ordinary paragraphs, by its line rules.

One change to the text: an embedded post (a tweet) that trafilatura dropped, as it does when the post sits
in an embed wrapper (``<figure class="wp-block-embed">``), comes back in where the page has it, between the
two article lines around it, as its words and its "— Name (@handle) date" line: it is a statement the page
makes, with its speaker on the page.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import cast, get_args

from lxml import etree

from .model import Region, RegionKind
from .textspans import text_lines

# trafilatura's XML elements and the region kind of their lines (anything else is left to the line rules)
_XML_KINDS = {"head": "heading", "quote": "block_quote", "item": "list_item", "p": "body"}
# an element of the original page that spans more than this is a container, not a caption or an aside
MAX_MARKUP_LINES = 12
MAX_MARKUP_CHARS = 3000
_KEY = 12  # squashed characters a line is indexed by
_TAIL_KEY = 6  # and its last ones (a photo credit ending a line is found by them; a shorter credit is not looked for)
_ANCHORS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageStructure:
    text: str
    regions: list[Region]


@lru_cache(maxsize=1)
def markup_rules() -> tuple[tuple[str, etree.XPath], ...]:
    path = resources.files("sourcetrace") / "data" / "lexicons" / "structure_markup.txt"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kind, xpath = line.split("\t", 1)
        if kind not in get_args(RegionKind):
            raise ValueError(f"{path}: {kind!r} is not a region kind")
        rows.append((kind, etree.XPath(xpath)))
    return tuple(rows)


def _squash(text: str) -> str:
    """Text without any whitespace: how an element's words are compared with the lines they became."""
    return _SPACE.sub("", text)


def _element_text(element) -> str:
    return "".join(t for t in element.itertext() if isinstance(t, str))


class _LineIndex:
    """The text's lines, findable by the words of an element that became one or more whole lines."""

    def __init__(self, text: str):
        self.spans = text_lines(text)
        self.squashed = [_squash(text[s:e]) for s, e in self.spans]
        self._by_head: dict[str, list[int]] = defaultdict(list)
        self._by_tail: dict[str, list[int]] = defaultdict(list)
        for n, line in enumerate(self.squashed):
            self._by_head[line[:_KEY]].append(n)
            self._by_tail[line[-_TAIL_KEY:]].append(n)

    def find(self, words: str, after: int = 0) -> tuple[int, int] | None:
        """The first run of whole lines from line ``after`` on whose words are ``words`` (squashed), as
        (first line, last line); a list item's line may carry trafilatura's "- " before its words."""
        best = None
        for target in (words, "-" + words):
            for k in range(1, min(_KEY, len(target)) + 1):
                heads = self._by_head.get(target[:k])
                if not heads:
                    continue
                for first in heads[bisect_left(heads, after):]:
                    if best is not None and first >= best[0]:
                        break
                    last = self._run(target, first)
                    if last is not None:
                        best = (first, last)
                        break
        return best

    def ending_with(self, words: str, after: int = 0) -> int | None:
        """The first line from ``after`` on that ends with ``words`` (squashed, at least ``_TAIL_KEY``
        characters) after words of its own."""
        if len(words) < _TAIL_KEY:
            return None
        tails = self._by_tail.get(words[-_TAIL_KEY:], [])
        return next((n for n in tails[bisect_left(tails, after):]
                     if len(self.squashed[n]) > len(words) and self.squashed[n].endswith(words)), None)

    def _run(self, target: str, first: int) -> int | None:
        got, n = self.squashed[first], first
        while len(got) < len(target) and target.startswith(got) and n + 1 < len(self.squashed):
            n += 1
            got += self.squashed[n]
        return n if got == target else None


def _xml_claims(body, lines: _LineIndex) -> list[tuple[str, int, int]]:
    """(kind, first line, last line) of trafilatura's headings, quotes, list items and paragraphs."""
    claims, cursor = [], 0
    for element in body.iter(*_XML_KINDS):
        if element.tag == "p" and any(a.tag in ("quote", "item") for a in element.iterancestors()):
            continue  # a paragraph of a quote or an item is that quote's or item's
        words = _squash(_element_text(element))
        if not words:
            continue
        found = lines.find(words, cursor)
        if found is not None:
            claims.append((_XML_KINDS[element.tag], *found))
            cursor = found[0]  # not past it: a quote's inner elements may come next
    return claims


@dataclass
class _MarkupClaims:
    lines: list[tuple[str, int, int]]  # (kind, first line, last line) of the page's furniture and embeds
    credit_tails: dict[int, int]  # line -> squashed length of a photo credit ending it ("Boats wait. Jane Roe/Reuters")
    missing_posts: list  # embedded posts whose words are not in the text


def _markup_claims(root, lines: _LineIndex) -> _MarkupClaims:
    out = _MarkupClaims([], {}, [])
    for kind, xpath in markup_rules():
        cursor = 0
        for element in xpath(root):
            words = _squash(_element_text(element))
            if not words or len(words) > MAX_MARKUP_CHARS:
                continue
            found = lines.find(words, cursor)
            if found is None:
                if kind == "embedded_post":
                    out.missing_posts.append(element)
                elif kind == "photo_credit" and (line := lines.ending_with(words, cursor)) is not None:
                    out.credit_tails[line] = len(words)
                    cursor = line
                continue
            size = found[1] - found[0] + 1
            # a caption, byline or aside is never most of the article: such an element is the story's container
            if size <= MAX_MARKUP_LINES and (kind == "embedded_post" or size <= max(1, len(lines.spans) // 2)):
                out.lines.append((kind, *found))
                cursor = found[0]
    return out


def _post_lines(post) -> list[str]:
    """An embedded post as trafilatura writes one it keeps: each paragraph a line, then its author line."""
    paragraphs = [p for p in post.iter("p")]
    words = [" ".join(_element_text(p).split()) for p in paragraphs]
    rest = [post.text or ""]
    for child in post:
        if child not in paragraphs and not any(a in paragraphs for a in child.iterancestors()):
            rest.append(_element_text(child))
        rest.append(child.tail or "")
    signature = " ".join("".join(rest).split()) if paragraphs else " ".join(_element_text(post).split())
    return [w for w in [*words, signature] if w]


def _restore_posts(text: str, root, missing: list, lines: _LineIndex) -> str:
    """The text with each embedded post trafilatura dropped put back where the page has it: only where the
    page's blocks just before and just after the post are consecutive lines of the text (a post in a sidebar
    or below the article has no such place)."""
    if not missing:
        return text
    order = {el: n for n, el in enumerate(root.iter())}
    anchors: list[tuple[int, int, int]] = []  # (document position, first line, last line)
    cursor = 0
    for element in root.iter(*_ANCHORS):
        words = _squash(_element_text(element))
        if words and (found := lines.find(words, cursor)) is not None:
            anchors.append((order[element], *found))
            cursor = found[0]
    positions = [a[0] for a in anchors]
    inserts: dict[int, list[str]] = {}
    for post in missing:
        start = order[post]
        end = max((order[d] for d in post.iterdescendants()), default=start)
        i = bisect_left(positions, start)
        j = bisect_right(positions, end)
        if i == 0 or j >= len(anchors):
            continue
        before, after = anchors[i - 1], anchors[j]
        if after[1] == before[2] + 1 and before[2] not in inserts:
            inserts[before[2]] = _post_lines(post)
    if not inserts:
        return text
    pieces, pos = [], 0
    for line in sorted(inserts):
        end = lines.spans[line][1]
        pieces.append(text[pos:end])
        pieces.append("".join("\n" + row for row in inserts[line]))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _tail_start(text: str, start: int, end: int, squashed: int) -> int:
    """Where in ``text[start:end]`` its last ``squashed`` non-space characters begin."""
    pos, left = end, squashed
    while left and pos > start:
        pos -= 1
        left -= not text[pos].isspace()
    return pos


def _regions(text: str, xml: list[tuple[str, int, int]], markup: _MarkupClaims, lines: _LineIndex) -> list[Region]:
    """One region per claimed line: the page's markup over trafilatura's elements, and within each, where
    claims overlap, the one over fewer lines (a credit inside a caption, a quote inside a list item). A block
    quote of several paragraphs is one region over its lines (one quote, whose speaker its cue line names); a
    line ending in a marked photo credit is two regions, the photo's caption and the credit."""
    kinds: dict[int, str] = {}
    for claims in (xml, markup.lines):
        for kind, first, last in sorted(claims, key=lambda c: c[1] - c[2]):
            for n in range(first, last + 1):
                kinds[n] = kind
    quote_last = {first: last for kind, first, last in xml
                  if kind == "block_quote" and all(kinds[n] == "block_quote" for n in range(first, last + 1))}
    regions: list[Region] = []
    for n in sorted(kinds.keys() | markup.credit_tails.keys()):
        start, end = lines.spans[n]
        if regions and start < regions[-1].end:
            continue  # inside a block quote already given
        if n in markup.credit_tails:
            cut = _tail_start(text, start, end, markup.credit_tails[n])
            head_end = len(text[:cut].rstrip())
            if head_end > start:
                regions.append(Region(kind="caption", start=start, end=head_end))
            regions.append(Region(kind="photo_credit", start=cut, end=end))
        elif n in quote_last:
            regions.append(Region(kind="block_quote", start=start, end=lines.spans[quote_last[n]][1]))
        else:
            regions.append(Region(kind=cast(RegionKind, kinds[n]), start=start, end=end))
    return regions


def page_structure(html: str, body, text: str) -> PageStructure:
    """``text`` (trafilatura's plain text of ``html``, ``body`` its XML tree) with the regions the page's
    markup gives it; an embedded post trafilatura dropped is put back (see the module's note)."""
    from trafilatura.utils import load_html

    root = load_html(html)
    lines = _LineIndex(text)
    markup = _markup_claims(root, lines) if root is not None else _MarkupClaims([], {}, [])
    if markup.missing_posts:
        restored = _restore_posts(text, root, markup.missing_posts, lines)
        if restored != text:
            text, lines = restored, _LineIndex(restored)
            markup = _markup_claims(root, lines)
    xml = _xml_claims(body, lines) if body is not None else []
    return PageStructure(text=text, regions=_regions(text, xml, markup, lines))
