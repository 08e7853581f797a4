"""A lossless tokenizer for transcripts: word runs, single punctuation marks, whitespace.

Words are maximal runs of letters and digits (``[^\\W_]+``), the same words the
seed form keeps, so ``it s`` and ``it's`` both give the words ``it``, ``s``.
Every other visible character is a token of its own; whitespace follows spaCy's
convention (one trailing space per token, any other run is a space token), so
``doc.text`` is the input, character for character.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TOKEN_RE = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)


class TranscriptTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        for m in TOKEN_RE.finditer(text):
            tok = m.group()
            if tok.isspace():
                if words and not spaces[-1] and tok[0] == " ":
                    spaces[-1] = True
                    tok = tok[1:]
                if not tok:
                    continue
            words.append(tok)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # serialisation: nothing to save, but nlp.to_disk/from_disk expect these
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "TranscriptTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "TranscriptTokenizer":
        return self


@registry.tokenizers("transcript_tokenizer.v1")
def create_transcript_tokenizer() -> Callable[[Language], TranscriptTokenizer]:
    def make(nlp: Language) -> TranscriptTokenizer:
        return TranscriptTokenizer(nlp.vocab)
    return make


_WORD_RE = re.compile(r"[^\W_]")


def is_word(token) -> bool:
    """A word token (letters/digits), as opposed to punctuation or whitespace."""
    return token.is_alpha or token.is_digit or _WORD_RE.match(token.text) is not None


def set_sent_starts(doc: Doc, starts, keep_existing: bool = False) -> None:
    """Mark exactly the token indices in ``starts`` (plus token 0) as sentence starts, in one
    array write (setting ``token.is_sent_start`` one by one rescans the doc each time).
    With ``keep_existing`` the doc's current starts are kept too."""
    if not len(doc):
        return
    if keep_existing and doc.has_annotation("SENT_START"):
        arr = doc.to_array([SENT_START]).astype(np.int32).reshape(-1)
    else:
        arr = np.full(len(doc), -1, dtype=np.int32)
    for i in starts:
        if 0 <= i < len(doc):
            arr[i] = 1
    arr[0] = 1
    doc.from_array([SENT_START], arr.reshape(-1, 1).astype(np.uint64))
