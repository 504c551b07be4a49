"""Article structure: typed regions over the text, and what they mean for attribution.

Pages reach the analysis as plain text in which captions, photo credits, bylines, datelines, headings,
embedded posts, transcript turns and site boilerplate ("Advertisement", "Sign up for ...") sit between the
paragraphs of the story. Read as prose they make photographers and captions into sources and link junk into
the outlet's claims. ``article_regions`` types each line by the patterns of ``structure_lines.txt`` and the
line rules below; ``extractors.layout`` then drops what the guideline says is never a statement:
attributions whose words lie in a caption, credit, byline, dateline or boilerplate (and sources
found there), and the writer's own "I" / "we" outside anyone's quoted words (the outlet's voice, not a source).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from typing import cast

from ..languages import lexicons_for
from ..lexicons import Lexicons
from ..model import Region, RegionKind
from ..textspans import text_lines
from .attributions.syntax import CAPITALS_WORD, NON_SPEAKER_LABELS

# regions whose words are never an attributed statement, a source or an own-voice claim (a headline's
# "..., officials claimed" is still the outlet reporting a claim: headings are read as text)
NOT_STATEMENTS = frozenset({"caption", "photo_credit", "byline", "dateline", "boilerplate"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "this newspaper", "this paper", "the author",
                          "this writer", "this reporter", "the authors", "the writer"})
_MAX_HEADING_WORDS = 12
_BYLINE = re.compile(r"^(?:By|BY|Written by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
                     r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*(?:\s*[,|/–—-].{0,60})?$")
_NAME_LINE = re.compile(r"^(?:[A-Z][a-z'’.-]+|[a-z][a-z'’-]+)(?:\s+(?:[A-Z]\.|[A-Z][a-z'’.-]+|[a-z][a-z'’-]+)){1,3}"
                        r"(?:,\s*[A-Z][\w ]{2,40})?$")
# a speaker's label: up to five words in capitals ("SECRETARY OF STATE JOHN KERRY:"), maybe their role on the
# programme after a comma ("RACHEL MARTIN, HOST:", "SCOTT DETROW, BYLINE:"), then the words spoken on the line or, for
# a label alone on its line, in the paragraph after it
_TURN = re.compile(rf"^(?P<label>{CAPITALS_WORD}(?:\s+{CAPITALS_WORD}){{0,4}}|Q|A)"
                   rf"(?:,[ \t]*{CAPITALS_WORD}(?:[ \t]+{CAPITALS_WORD}){{0,3}})?\s*:(?:\s+\S|\s*$)")
_POST_SIGNATURE = re.compile(r"^[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}")
# a post flattened into one line: its words, maybe its picture link, then "— Name (@handle) March 1, 2019"
POST_INLINE_SIGNATURE = re.compile(r"\s(?P<dash>[—–-])\s*(?P<name>[^()\n—–/]{1,80}?)\s*\(@\w{1,30}\)\s+[A-Z][a-z]+\.? "
                                   r"\d{1,2}, \d{4}\s*$")
_LIST_ITEM = re.compile(r"^(?:[•·▪●◦*]|\d{1,2}[.)])\s+\S")
# a place in capitals (at most three words: "WASHINGTON", "NEW YORK", "SAN LUIS OBISPO"), an optional state and
# agency, a dash; an all-capitals kicker ("HE'S BEEN CALLED OUT BY FELLOW DOCTORS —") is no dateline
_DATELINE = re.compile(r"^(?P<dl>[A-Z][A-Z.-]+(?: [A-Z][A-Z.-]+){0,2}(?:,\s*[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)?\s*"
                       r"(?:\((?:[A-Za-z.]+(?:\s[A-Za-z.]+){0,2})\))?\s*[-—–]+)\s+\S")
_BLOCK_CUE = re.compile(r"\b(?:said|says|wrote|writes|tweeted|posted|added|stated|statement|told|explained|"
                        r"continued|declared|announced|reads?|reported|reports|noted|notes|argued|argues|warned|warns|"
                        r"observed|observes|concluded|concludes|replied|responded|insisted|insists|remarked|recalled|"
                        r"recalls|testified|summari[sz]ed|put it)\b[^.!?]{0,120}:\s*$", re.IGNORECASE)
# a news site's hover card run into the text after a name: the person's full name run into the headlines of
# related stories, up to "MORE" ("Sen. Mike Lee Michael (Mike) Shumway LeeFed chief urges ... MORE (R-Utah)")
HOVER_CARD = re.compile(r"(?P<surname>[A-Z][a-z’'-]+) (?P<card>(?:[A-Z(][\w.()’'-]* ){0,4}(?P=surname)(?=[A-Z0-9‘'\"“])"
                        r"[^\n]{0,600}? MORE)(?= )")
# a line of four words or more that ends in a colon and introduces the paragraph after it
_INTRO_LINE = re.compile(r"^\S+(?:\s+\S+){3,}:\s*$")
# the marks a paragraph in quotation marks opens with
QUOTE_OPENERS = ('"', "“")
_TERMINAL = tuple('.!?"”’\',;)…')



@lru_cache(maxsize=None)
def line_patterns(lexicons: Lexicons) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) rows of the language's ``structure_lines.txt``."""
    rows = []
    for line in lexicons.text("structure_lines").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kind, pattern = line.split("\t", 1)
        rows.append((kind, re.compile(pattern)))
    return tuple(rows)


@lru_cache(maxsize=None)
def line_kind_pattern(lexicons: Lexicons) -> re.Pattern[str] | None:
    """The rows of ``line_patterns`` as one alternation, each row's pattern in a group named by its position:
    a line's kind is the first row that matches it, the alternative the engine takes first, and one match per
    line costs less than one per row. None (try each row) when a row has groups of its own (a numbered
    back-reference would point elsewhere) or the patterns do not combine."""
    patterns = line_patterns(lexicons)
    if not patterns or any(pattern.groups or pattern.flags != re.UNICODE for _, pattern in patterns):
        return None
    try:
        return re.compile("|".join(f"(?P<row{k}>{pattern.pattern})" for k, (_, pattern) in enumerate(patterns)))
    except re.error:
        return None


def line_kind(line: str, lexicons: Lexicons) -> str | None:
    """The kind of the first row of ``line_patterns`` that matches ``line`` (None if none does)."""
    combined = line_kind_pattern(lexicons)
    if combined is None:
        return next((k for k, pattern in line_patterns(lexicons) if pattern.match(line)), None)
    m = combined.match(line)
    if m is None or m.lastgroup is None:
        return None
    return line_patterns(lexicons)[int(m.lastgroup[3:])][0]


def _is_name_line(line: str, authors: set[str]) -> bool:
    return line.lower() in authors or bool(_NAME_LINE.match(line)) and len(line) <= 60


def article_regions(text: str, authors: list[str] | tuple[str, ...] = (), *, lexicons: Lexicons) -> list[Region]:
    """Every non-blank line typed; a dateline opening a paragraph is its own region. ``lexicons``: the word lists
    of the text's language (its line patterns)."""
    lines = text_lines(text)
    author_names = {a.strip().lower() for a in authors if a and a.strip()}
    # (a label alone on its line makes no dialogue: "SEE RELATED:" above a link)
    labels = [m.group("label") for s, e in lines if (m := _TURN.match(text[s:e])) and not m.group(0).rstrip().endswith(":")
              and m.group("label").lower() not in NON_SPEAKER_LABELS and not _all_capitals(text[s:e])]
    speakers = set(labels)
    dialogue = len(speakers) >= 2
    # a Q&A: questions and answers labelled "Q:" / "A:" (both present)
    qa = {m.group("label") for s, e in lines if (m := _TURN.match(text[s:e])) and m.group("label") in ("Q", "A")}
    interview = qa == {"Q", "A"}
    kinds: list[str] = []
    for n, (s, e) in enumerate(lines):
        line = text[s:e]
        kind = line_kind(line, lexicons)
        edge = n < 2 or n >= len(lines) - 3
        if kind is None and _BYLINE.match(line) and len(line.split()) <= 14:
            kind = "byline"
        elif kind is None and _is_name_line(line, author_names) and (edge or line.lower() in author_names):
            kind = "byline"
        elif (kind is None and _all_capitals(line)
              and not (n + 1 < len(lines) and _POST_SIGNATURE.match(text[lines[n + 1][0]:lines[n + 1][1]]))
              and not (dialogue and (m := _TURN.match(line)) and m.group("label") in speakers)):
            # "FLASHBACK: GRAHAM SAYS DEMS' SMEARS HAVE UNITED REPUBLICANS", "‘SAFE HAVEN FOR CRIMINALS’": a line all in
            # capitals is a section head or a related story's headline, not a speaker's turn (a post's words above its
            # author line stay the post's, and a transcript's speaker saying "OK—" stays a turn)
            kind = "heading"
        elif kind is None and (m := _TURN.match(line)) and (
                interview and m.group("label") in ("Q", "A")
                or dialogue and m.group("label").lower() not in NON_SPEAKER_LABELS):
            kind = "transcript_turn"
        elif kind is None and _POST_SIGNATURE.match(line):
            kind = "embedded_post"
            if kinds and kinds[-1] == "body":
                kinds[-1] = "embedded_post"  # the post's own words, above its author line
        elif kind is None and (m := POST_INLINE_SIGNATURE.search(line)) and m.start() > 0:
            kind = "embedded_post"
        elif kind is None and _LIST_ITEM.match(line):
            kind = "list_item"
        elif kind is None and n + 1 < len(lines) and _title_case(line):
            kind = "heading"  # "Graham Says No Senate Republicans Would Vote to Remove Trump ‘Because He Did Nothing Wrong’"
        elif kind is None and kinds and kinds[-1] in ("body", "block_quote") and _BLOCK_CUE.search(text[lines[n - 1][0]:lines[n - 1][1]]):
            kind = "block_quote"
        elif (kind is None and kinds and kinds[-1] in ("body", "heading") and line[:1] in QUOTE_OPENERS
              and _INTRO_LINE.search(text[lines[n - 1][0]:lines[n - 1][1]])):
            # "Jordan dismissed Taylor this way:", "Alexander closed out the segment with this:" above a paragraph
            # in quotation marks (the short line itself is typed a heading, its words no statement): the words the
            # line introduces (the layout finds whose they are, if anyone's)
            kind = "block_quote"
        elif (kind is None and n + 1 < len(lines) and len(line.split()) <= _MAX_HEADING_WORDS
              and line[0].isupper() and not line.endswith(_TERMINAL) and not _BLOCK_CUE.search(line)):
            kind = "heading"
        kinds.append(kind or "body")
    regions: list[Region] = []
    for (s, e), kind in zip(lines, cast(list[RegionKind], kinds)):
        m = _DATELINE.match(text[s:e]) if kind == "body" else None
        if m and m.group("dl").split("(")[0].strip(" -—–").replace(" ", "").replace(".", "").replace(",", "").isupper():
            cut = s + m.end("dl")
            regions.append(Region(kind="dateline", start=s, end=cut))
            s = cut + (len(text[cut:e]) - len(text[cut:e].lstrip()))
        if kind == "body":
            for card in HOVER_CARD.finditer(text, s, e):
                # a page's hover card inside the paragraph: the body around it stays body
                if card.start("card") > s:
                    regions.append(Region(kind="body", start=s, end=card.start("card") - 1))
                regions.append(Region(kind="boilerplate", start=card.start("card"), end=card.end("card")))
                s = card.end("card") + 1
            if s >= e:
                continue
        regions.append(Region(kind=kind, start=s, end=e))
    return regions


_MINOR_WORDS = frozenset("a an the of to in on for and or but at by with from as vs via nor".split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


_CAPITAL_WORD = re.compile(r"[A-Z]{2,}")


def _all_capitals(line: str) -> bool:
    """A line in capitals: no lower-case letter, at least two words of two capitals or more, no closing colon (a
    transcript's label on a line of its own, "SEN. JOHN SMITH:", stays)."""
    return line.isupper() and len(_CAPITAL_WORD.findall(line)) >= 2 and not line.rstrip().endswith(":")


def _title_case(line: str) -> bool:
    """A headline's Title Case: four to twenty words, every word but the minor ones capitalised, no closing stop."""
    words = _WORD.findall(line)
    if not 4 <= len(words) <= 20 or line.rstrip().endswith((".", ":", ",", ";")):
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    return len(major) >= 4 and all(w[0].isupper() for w in major)


def region_at(regions: list[Region], start: int, end: int) -> Region | None:
    """The region holding most of ``[start, end)`` (None outside every region). ``regions`` are in text order
    and do not overlap (as ``article_regions`` makes them), so only those from the one ``end`` falls in
    backwards are looked at: called for every attribution and claim, a scan of all would be quadratic."""
    best, most = None, 0
    i = bisect_right(regions, end - 1, key=lambda r: r.start)
    while i > 0 and regions[i - 1].end > start:
        i -= 1
        r = regions[i]
        inter = min(r.end, end) - max(r.start, start)
        if inter >= most:  # ties go to the earlier region, as the forward scan gave them
            best, most = r, inter
    return best if most > 0 else None


def in_unstated_region(regions: list[Region], start: int, end: int) -> bool:
    region = region_at(regions, start, end)
    return region is not None and region.kind in NOT_STATEMENTS


def with_page_regions(text: str, page: list[Region], rules: list[Region], lexicons: Lexicons) -> list[Region]:
    """The line rules' regions (``rules``) under what an HTML page's markup says of its lines (``page``, from
    ``sourcetrace.htmlstructure``), line by line: a line the page types keeps the page's kind, unless it is a
    heading, list item or block quote whose words match a caption, credit or boilerplate pattern ("Related"
    kept as a list item); a line the page divides (a caption and the photo credit ending it) keeps the page's
    regions, and a page region over several lines (a block quote of two paragraphs) stays one; a line the page
    calls a paragraph gets the line rules' kinds, but never a heading."""
    lines = text_lines(text)
    starts = [s for s, _ in lines]

    def by_line(regions: list[Region]) -> dict[int, list[Region]]:
        out: dict[int, list[Region]] = {}
        for r in regions:
            out.setdefault(bisect_right(starts, r.start) - 1, []).append(r)
        return out

    page_at, rules_at = by_line(page), by_line(rules)
    out: list[Region] = []
    for n in sorted(page_at.keys() | rules_at.keys()):
        marks, ruled = page_at.get(n, []), rules_at.get(n, [])
        if out and lines[n][0] < out[-1].end:
            continue  # a line of a page region over several lines (a block quote of two paragraphs)
        if not marks:
            out.extend(ruled)
        elif len(marks) > 1:
            out.extend(marks)
        elif marks[0].kind == "body":
            out.extend(r if r.kind != "heading" else Region(kind="body", start=r.start, end=r.end) for r in ruled)
        else:
            mark = marks[0]
            kind: str = mark.kind
            if kind in ("heading", "list_item", "block_quote"):
                line = text[mark.start:mark.end]
                kind = next((k for k, pattern in line_patterns(lexicons) if k in NOT_STATEMENTS and pattern.match(line)), kind)
            out.append(Region(kind=cast(RegionKind, kind), start=mark.start, end=mark.end))
    return out


class StructureReader:
    """``report.structure``: the line rules over the text, under the page's own markup where the article was
    read from HTML (``Article.structure``; regions past a text cut at ``max_chars`` are left out)."""

    name = "structure"
    requires: tuple[str, ...] = ()
    assigns = ("structure",)

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons

    def __call__(self, ctx) -> None:
        text = ctx.report.text
        regions = article_regions(text, ctx.report.authors, lexicons=self.lexicons)
        page = [r for r in (ctx.article.structure or []) if r.end <= len(text)]
        ctx.report.structure = with_page_regions(text, page, regions, self.lexicons) if page else regions


def make_structure_reader(options):
    return StructureReader(lexicons_for(options))
