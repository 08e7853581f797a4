"""Matching word phrases (``nord stream 2``) in both kinds of text.

On restored seed-form text there is no punctuation token, and spaCy's
``PhraseMatcher`` on ``LOWER`` is exact and fast; on punctuated text a phrase
may have punctuation between its words (``intermediate-range``), so a token
``Matcher`` with optional punctuation is used there.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab


Phrase = Tuple[str, ...]
PhraseIndex = Dict[str, List[Tuple[Phrase, object]]]


def by_first(table: dict) -> PhraseIndex:
    """``{phrase: value}`` grouped by first word, longest first (for :func:`match_at`)."""
    out: PhraseIndex = {}
    for phrase, value in sorted(table.items(), key=lambda x: -len(x[0])):
        out.setdefault(phrase[0], []).append((phrase, value))
    return out


def match_at(words: Sequence[str], k: int, index: PhraseIndex) -> Optional[Tuple[Phrase, object]]:
    """The longest phrase of ``index`` that starts at word ``k``, and its value."""
    if k >= len(words):
        return None
    for phrase, value in index.get(words[k], ()):
        if tuple(words[k:k + len(phrase)]) == phrase:
            return phrase, value
    return None


def ends_before(words: Sequence[str], k: int, phrases: Iterable[Phrase]) -> bool:
    """Whether one of ``phrases`` ends right before word ``k`` (`thank you` before `kerry`)."""
    return any(k >= len(p) and tuple(words[k - len(p):k]) == p for p in phrases)


def positions(words: Sequence[str], index: PhraseIndex) -> Dict[object, List[int]]:
    """Every word index at which a phrase of ``index`` starts, by the phrase's value (every
    phrase that starts there, not only the longest)."""
    out: Dict[object, List[int]] = {}
    for k, w in enumerate(words):
        for phrase, value in index.get(w, ()):
            if tuple(words[k:k + len(phrase)]) == phrase:
                out.setdefault(value, []).append(k)
    return out


def words_of(text: str) -> List[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _pattern(words: Sequence[str]) -> List[dict]:
    pat: List[dict] = []
    for k, w in enumerate(words):
        if k:
            pat.append({"IS_PUNCT": True, "OP": "?"})
        pat.append({"LOWER": w})
    return pat


class WordPhraseMatcher:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.plain = PhraseMatcher(vocab, attr="LOWER")
        self.loose = Matcher(vocab)
        self.n = 0

    def add(self, key: str, phrases: Iterable[str]) -> None:
        word_lists = [w for w in (words_of(p) for p in phrases) if w]
        if not word_lists:
            return
        self.plain.add(key, [Doc(self.vocab, words=w) for w in word_lists])
        self.loose.add(key, [_pattern(w) for w in word_lists])
        self.n += 1

    def __len__(self) -> int:
        return self.n

    def __call__(self, doc: Doc) -> List[Tuple[str, int, int]]:
        if not self.n:
            return []
        matcher = self.plain if doc._.restore_mode == "restore" else self.loose
        return [(self.vocab.strings[k], s, e) for k, s, e in matcher(doc)]
