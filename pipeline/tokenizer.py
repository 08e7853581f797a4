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
    return _WORD_RE.match(token.text) is not None
