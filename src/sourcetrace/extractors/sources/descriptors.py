"""Descriptors: the title or description the article gives a source ("US National Security Adviser")."""
from __future__ import annotations

from spacy.tokens import Span as SpacySpan, Token

from .mentions import EDGE, MentionIndex, MentionInfo, strip_tokens, tokens_text


class Descriptors:
    def __init__(self, index: MentionIndex):
        self.index = index
        self.lex = index.lex
        self._persons_by_name: dict[str, list[SpacySpan]] | None = None  # full name -> the persons so named, in order

    def descriptor(self, core: list[Token], ent: SpacySpan | None) -> str | None:
        """Title words around a name ("US National Security Adviser"), or the description itself."""
        if ent is not None:
            before = [t for t in core if t.i < ent.start and t.lower_ not in self.lex.definite_dets | {"a", "an"}]
            titles = [t for t in ent if t.lower_ in self.lex.title_abbreviations and self.lex.title_abbreviations[t.lower_]]
            words = [t.text for t in before]
            if titles and not words:
                words = [self.lex.title_abbreviations[t.lower_] for t in titles]
            after = [t for t in core if t.i >= ent.end and not t.is_punct and t.tag_ != "POS"]
            desc = " ".join(words + ([tokens_text(after)] if after else [])).strip(EDGE)
            return desc or None
        toks = [t for t in core if t.lower_ not in self.lex.definite_dets | {"a", "an"}]
        return tokens_text(toks).strip(EDGE) or None

    def person_title(self, name: str) -> str | None:
        """The title the article gives a person where it names them ("Outgoing US President" Joe Biden)."""
        doc = self.index.doc
        if self._persons_by_name is None:
            # each person's full name worked out once per article, not once per source asked about (quadratic)
            self._persons_by_name = {}
            for ent in self.index.persons:
                self._persons_by_name.setdefault(self.index.full_name(ent), []).append(ent)
        for ent in self._persons_by_name.get(name, []):
            words: list[Token] = []
            i = ent.start - 1
            while i >= 0:
                tok = doc[i]
                if tok.dep_ not in {"compound", "amod", "nmod", "npadvmod"} or not (i < tok.head.i < ent.end) or tok.is_punct:
                    break
                words.insert(0, tok)
                i -= 1
            if words:
                return tokens_text(words)
        return None

    def with_apposition(self, info: MentionInfo, tail: list[Token]) -> MentionInfo:
        rel = next((i for i, t in enumerate(tail) if i > 0 and t.lower_ in self.lex.relative_pronouns and t.tag_ in {"WP", "WDT"}), None)
        if rel is not None:
            tail = strip_tokens(tail[:rel])
        tail_text = tokens_text(tail).strip(EDGE)
        if not tail_text:
            return info
        if tail[0].lower_ in self.lex.relative_pronouns:
            desc = info.descriptor
        else:
            desc = ", ".join(d for d in (info.descriptor, tail_text) if d)
        named = info.named
        # "mining companies, including Patriot": the list names one of them
        if not named and tail[0].lower_ in {"including", "like", "such"} and self._lists_a_name(tail):
            named = True
        return MentionInfo(info.start, info.end, info.kind, named, info.name, desc or None, info.key)

    @staticmethod
    def _lists_a_name(tail: list[Token]) -> bool:
        """Whether "including ..." names a member ("including Patriot", "including Leader Kevin McCarthy"), not
        only a description with a name inside it ("including a majority of justices on the Supreme Court")."""
        ids = {t.i for t in tail}
        members = [t for t in tail if t.dep_ == "pobj" and t.head.i in ids and t.head.lower_ in {"including", "like", "as"}]
        if not members:
            return any(t.pos_ == "PROPN" for t in tail)  # no parse to go by: a name anywhere in the list
        members += [c for m in members for c in m.conjuncts if c.i in ids]
        return any(m.pos_ == "PROPN" for m in members)
