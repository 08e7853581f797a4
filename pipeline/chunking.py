"""Input longer than ``nlp.max_length``: chunks cut at turn or sentence boundaries.

A long text is cut into chunks of at most ``max_chars`` characters. Each cut is
looked for in the last part of the window: after a line break if there is one,
else before the last predicted speaker label, else at the last predicted
sentence start (the restorer runs on that stretch alone). Every chunk is
processed as its own Doc, and :func:`merge_rows` puts the rows back together:
offsets point into the original text, ids run on, and a turn that a cut split
(marked ``continued`` by the turns component, or opened by a repeated label of the
same speaker) is one turn again.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Iterator, List, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from .restoring import token_values
from .tables import Rows
from .tokenizer import is_word
from .turns import CHUNK_KEY, CONTINUED

CHAR_COLUMNS = ("start_char", "end_char", "marker_start", "marker_end")
SEARCH_CHARS = 20_000  # how far back from a window's end a cut is looked for
EDGE_TOKENS = 64  # the restorer sees too little context this close to a stretch's edge


def plan_chunks(text: str, max_chars: int,
                cut_at: Callable[[int, int], int]) -> List[Tuple[int, int]]:
    """``(start, end)`` character spans that tile ``text``, none longer than ``max_chars``.

    ``cut_at(lo, hi)`` returns a cut position in ``(lo, hi]``."""
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    spans, a, n = [], 0, len(text)
    while n - a > max_chars:
        hi = a + max_chars
        lo = max(a, hi - min(SEARCH_CHARS, max_chars // 2))
        c = cut_at(lo, hi)
        if not lo < c <= hi:
            c = hi
        spans.append((a, c))
        a = c
    spans.append((a, n))
    return spans


def boundary(nlp: Language, text: str, lo: int, hi: int) -> int:
    """Where to cut ``text`` between ``lo`` and ``hi``: a line break, a turn, a sentence."""
    region = text[lo:hi]
    nl = region.rfind("\n", 0, len(region) - 1)
    if nl >= 0:
        return lo + nl + 1
    doc = nlp.make_doc(region)
    if "transcript_restorer" in nlp.pipe_names:
        doc = nlp.get_pipe("transcript_restorer")(doc)
    inner = [t for t in doc[EDGE_TOKENS:len(doc) - EDGE_TOKENS] if is_word(t)]
    label = token_values(doc, "label_start")
    turns = [t for t in inner if label[t.i] >= 0.5]
    sents = [t for t in inner if t.is_sent_start]
    for found in (turns, sents):
        if found:
            return lo + found[-1].idx
    space = region.rfind(" ")
    return lo + space + 1 if space > 0 else hi


def chunk_docs(nlp: Language, text: str, max_chars: int) -> Iterator[Tuple[int, Doc]]:
    """``(offset, Doc)`` for each chunk of ``text``, made lazily, marked for the turns pipe."""
    spans = plan_chunks(text, max_chars, lambda lo, hi: boundary(nlp, text, lo, hi))
    for i, (a, b) in enumerate(spans):
        doc = nlp.make_doc(text[a:b])
        doc.user_data[CHUNK_KEY] = (i, len(spans))
        yield a, doc


def merge_rows(parts: Sequence[Tuple[int, Rows]], text: str,
               merges: Callable[[str], bool] = lambda speaker: True) -> Rows:
    """The rows of one document from the rows of its chunks (offsets into ``text``).

    ``merges(speaker)``: whether a chunk's first label, of the speaker whose turn ends the
    chunk before, continues that turn, as inside one Doc (the turns pipe's ``merges_repeats``)."""
    out = Rows()
    doc_row: dict = {}
    n_words = 0
    for offset, rows in parts:
        turns = rows.cols["turns"]
        base, sent_base = len(out.cols["turns"]["turn_id"]), len(out.cols["sentences"]["sent_id"])
        prev = out.cols["turns"]["speaker"][-1] if base else None
        carry = bool(turns["role"]) and (
            turns["role"][0] == CONTINUED  # a cut inside a turn
            or (turns["speaker"][0] == prev != "narrator" and merges(prev)))  # a repeated label
        if carry and base == 0:  # nothing to continue: the text before the first label
            turns["speaker"][0], turns["speaker_name"][0] = "narrator", "Narrator"
            turns["role"][0] = "narrator"
            carry = False
        shift = base - 1 if carry else base
        for table, cols in rows.cols.items():
            if table == "documents":
                continue
            for name in CHAR_COLUMNS:
                if name in cols:
                    cols[name] = [None if v is None else v + offset for v in cols[name]]
            cols["turn_id"] = [v + shift for v in cols["turn_id"]]
            if "sent_id" in cols:
                cols["sent_id"] = [v + sent_base for v in cols["sent_id"]]
        if carry:
            _extend_turn(out.cols["turns"], {k: v.pop(0) for k, v in turns.items()}, text)
        n_words += sum(rows.cols["documents"]["n_words"])
        if not doc_row:
            doc_row = {k: v[0] for k, v in rows.cols["documents"].items()}
        out.extend(rows)
    _agree_on_roles(out.cols["turns"])
    doc_row.update(n_chars=len(text), n_words=n_words, n_turns=len(out.cols["turns"]["turn_id"]),
                   n_sentences=sum(1 for n in out.cols["sentences"]["n_words"] if n))
    out.cols["documents"] = {k: [v] for k, v in doc_row.items()}
    return out


def _agree_on_roles(turns: dict) -> None:
    """One role per speaker across chunks: each chunk infers roles from its own text
    (:mod:`pipeline.roles`), so a speaker left ``unknown`` in one chunk takes the role most
    of their inferred turns got in the others."""
    votes: dict = {}
    for sp, role, src in zip(turns["speaker"], turns["role"], turns["role_source"]):
        if src and src not in ("book", "position"):
            votes.setdefault(sp, Counter())[(role, src)] += 1
    for i, sp in enumerate(turns["speaker"]):
        if sp in votes and turns["role_source"][i] not in ("book", "position"):
            turns["role"][i], turns["role_source"][i] = votes[sp].most_common(1)[0][0]


def _extend_turn(turns: dict, more: dict, text: str) -> None:
    """Append a continued turn's row (``more``) to the last turn row of ``turns``."""
    def set_last(name, value):
        turns[name][-1] = value

    if more["n_words"]:
        if not turns["n_words"][-1]:
            set_last("start_char", more["start_char"])
        set_last("end_char", more["end_char"])
    set_last("text", text[turns["start_char"][-1]:turns["end_char"][-1]])
    set_last("restored_text", " ".join(x for x in (turns["restored_text"][-1],
                                                     more["restored_text"]) if x))
    for name in ("n_words", "n_sentences"):
        set_last(name, turns[name][-1] + more[name])
    for name in ("topics", "entity_ids"):
        set_last(name, sorted(set(turns[name][-1]) | set(more[name])))
    set_last("annotations", turns["annotations"][-1] + more["annotations"])
