"""Docs → rows under explicit pyarrow schemas (the Parquet contract).

Five tables: ``documents``, ``turns``, ``sentences``, ``entities``,
``topic_mentions``. All offsets are character offsets into the decoded input
text, end exclusive; ``text`` columns are exactly ``input[start_char:end_char]``.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import pyarrow as pa
from spacy.tokens import Doc

from .language import detect_language
from .restoring import render
from .tokenizer import is_word
from .topics import TOPICS
from .turns import NOTES, REPEATED_LABEL, TURNS, non_speech_tokens

_str, _i64, _i32, _bool = pa.string(), pa.int64(), pa.int32(), pa.bool_()
_strs = pa.list_(pa.string())

SCHEMAS: Dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", _str), ("path", _str), ("sha256", _str), ("n_chars", _i64), ("n_words", _i64),
        ("n_turns", _i32), ("n_sentences", _i32), ("status", _str), ("error", _str),
        ("pipeline_version", _str), ("encoding", _str), ("restore_mode", _str),
        ("language", _str),
    ]),
    "turns": pa.schema([
        ("doc_id", _str), ("turn_id", _i32), ("speaker", _str), ("speaker_name", _str),
        ("role", _str), ("via_translator", _bool), ("off_mike", _bool),
        ("marker_start", _i64), ("marker_end", _i64), ("start_char", _i64), ("end_char", _i64),
        ("text", _str), ("restored_text", _str), ("n_words", _i32), ("n_sentences", _i32),
        ("topics", _strs), ("entity_ids", _strs), ("annotations", _strs),
        ("journalist_name", _str), ("outlet", _str), ("role_source", _str),
    ]),
    "sentences": pa.schema([
        ("doc_id", _str), ("turn_id", _i32), ("sent_id", _i32), ("start_char", _i64),
        ("end_char", _i64), ("text", _str), ("restored_text", _str), ("n_words", _i32),
        ("topics", _strs),
    ]),
    "entities": pa.schema([
        ("doc_id", _str), ("turn_id", _i32), ("sent_id", _i32), ("start_char", _i64),
        ("end_char", _i64), ("text", _str), ("label", _str), ("entity_id", _str),
    ]),
    "topic_mentions": pa.schema([
        ("doc_id", _str), ("turn_id", _i32), ("sent_id", _i32), ("topic", _str),
        ("start_char", _i64), ("end_char", _i64), ("text", _str), ("method", _str),
    ]),
}
TABLES = tuple(SCHEMAS)
# entity labels that name something (the others are dates, times, numbers and amounts);
# only these go into turns.entity_ids
NAMED_LABELS = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                          "WORK_OF_ART", "LAW", "LANGUAGE"})


def schema_hash() -> str:
    """Digest of the five schemas: a run folder resumes only under the schemas it began with."""
    text = "\n".join(f"{t}: {SCHEMAS[t].to_string(show_schema_metadata=False)}" for t in TABLES)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Source:
    """What the batch runner knows of an input file."""
    doc_id: str
    path: str
    sha256: str = ""
    encoding: str = ""
    n_chars: int = 0


class Rows:
    """Column-wise accumulator for the five tables."""

    def __init__(self):
        self.cols = {t: {f.name: [] for f in s} for t, s in SCHEMAS.items()}

    def add(self, table: str, **row) -> None:
        cols = self.cols[table]
        for name in cols:
            cols[name].append(row.get(name))

    def extend(self, other: "Rows") -> None:
        for t, cols in other.cols.items():
            for name, values in cols.items():
                self.cols[t][name].extend(values)

    def to_arrow(self, metadata: Optional[Dict[str, str]] = None) -> Dict[str, pa.Table]:
        out = {}
        for t, schema in SCHEMAS.items():
            s = schema.with_metadata(metadata) if metadata else schema
            out[t] = pa.Table.from_pydict(self.cols[t], schema=s)
        return out


def failed_document(rows: Rows, src: Source, error: str, version: str) -> None:
    rows.add("documents", doc_id=src.doc_id, path=src.path, sha256=src.sha256,
             n_chars=src.n_chars, n_words=0, n_turns=0, n_sentences=0, status="failed",
             error=error, pipeline_version=version, encoding=src.encoding or None)


def sentence_spans(doc: Doc, excluded: set) -> List[Tuple[int, int, int, int]]:
    """``(turn_index, start_token, end_token, n_words)`` of every sentence of the turns'
    speech, spaces trimmed; ``n_words`` counts its speech words: 0 for a stage note alone
    (`(Laughter.)`), a sentence of its own in transcripts and gold. Pieces of punctuation or
    of a repeated speaker label alone (a second `PUTIN:` inside Putin's turn) are no
    sentences."""
    notes = {i for s in doc.spans.get(NOTES, []) if s.label_ != REPEATED_LABEL
             for i in range(s.start, s.end)}
    out = []
    for k, turn in enumerate(doc.spans.get(TURNS, [])):
        s0 = turn._.turn["speech_start"]
        cut = [t.i for t in doc[s0:turn.end] if t.is_sent_start and t.i > s0]
        for a, b in zip([s0] + cut, cut + [turn.end]):
            toks = [t for t in doc[a:b] if not t.is_space]
            words = sum(1 for t in toks if is_word(t) and t.i not in excluded)
            if words or any(t.i in notes for t in toks):
                out.append((k, toks[0].i, toks[-1].i + 1, words))
    return out


def sentence_of(sents: List[Tuple[int, int, int, int]], starts: List[int], start: int,
                end: int) -> Optional[int]:
    """Index into ``sents`` (of :func:`sentence_spans`; ``starts`` their first tokens) of
    the sentence with speech that holds tokens ``[start, end)``, or None."""
    k = bisect.bisect_right(starts, start) - 1
    return None if k < 0 or sents[k][2] < end or not sents[k][3] else k


def doc_rows(doc: Doc, src: Source, version: str) -> Rows:
    """All rows of one processed document."""
    rows = Rows()
    did = src.doc_id
    text = doc.text  # built anew on every access: once here
    excluded = non_speech_tokens(doc)
    notes = list(doc.spans.get(NOTES, []))
    topics = list(doc.spans.get(TOPICS, []))
    turns = list(doc.spans.get(TURNS, []))

    sent_rows = sentence_spans(doc, excluded)
    sent_starts = [s[1] for s in sent_rows]

    def locate(start: int, end: int):
        k = sentence_of(sent_rows, sent_starts, start, end)
        return None if k is None else (sent_rows[k][0], k)

    sent_topics: List[set] = [set() for _ in sent_rows]
    turn_topics: List[set] = [set() for _ in turns]
    for m in topics:
        loc = locate(m.start, m.end)
        if loc is None:
            continue
        turn_topics[loc[0]].add(m.label_)
        sent_topics[loc[1]].add(m.label_)
        rows.add("topic_mentions", doc_id=did, turn_id=loc[0], sent_id=loc[1], topic=m.label_,
                 start_char=m.start_char, end_char=m.end_char, text=m.text,
                 method=m._.topic_method)
    turn_ents: List[set] = [set() for _ in turns]
    for ent in doc.ents:
        loc = locate(ent.start, ent.end)
        if loc is None:
            continue
        if ent.label_ in NAMED_LABELS:
            turn_ents[loc[0]].add(ent.kb_id_)
        rows.add("entities", doc_id=did, turn_id=loc[0], sent_id=loc[1],
                 start_char=ent.start_char, end_char=ent.end_char, text=ent.text,
                 label=ent.label_, entity_id=ent.kb_id_)

    restored_sents = []
    for j, (k, a, b, words) in enumerate(sent_rows):
        restored, _ = render(doc, a, b, excluded)
        restored_sents.append(restored)
        sc, ec = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        rows.add("sentences", doc_id=did, turn_id=k, sent_id=j, start_char=sc, end_char=ec,
                 text=text[sc:ec], restored_text=restored, n_words=words,
                 topics=sorted(sent_topics[j]))
    sents_of: Dict[int, List[int]] = {}  # the sentences with speech, per turn
    for j, (k, _, _, words) in enumerate(sent_rows):
        if words:
            sents_of.setdefault(k, []).append(j)
    n_words_doc = 0
    for k, turn in enumerate(turns):
        info = turn._.turn
        s0 = info["speech_start"]
        mine = sents_of.get(k, [])
        words = sum(1 for t in doc[s0:turn.end] if is_word(t) and t.i not in excluded)
        n_words_doc += words
        has_marker = s0 > turn.start
        if s0 < turn.end:
            sc = doc[s0].idx
            ec = doc[turn.end - 1].idx + len(doc[turn.end - 1])
        else:
            sc = ec = doc[turn.end - 1].idx + len(doc[turn.end - 1])
        marker_end = None
        if has_marker:
            last = s0 - 1
            while last > turn.start and doc[last].is_space:
                last -= 1
            marker_end = doc[last].idx + len(doc[last])
        rows.add("turns", doc_id=did, turn_id=k, speaker=info["speaker"], speaker_name=info["name"],
                 role=info["role"], via_translator=bool(info["via_translator"]),
                 off_mike=bool(info["off_mike"]),
                 marker_start=doc[turn.start].idx if has_marker else None, marker_end=marker_end,
                 start_char=sc, end_char=ec, text=text[sc:ec],
                 restored_text=" ".join(restored_sents[j] for j in mine), n_words=words,
                 n_sentences=len(mine), topics=sorted(turn_topics[k]),
                 entity_ids=sorted(turn_ents[k]),
                 annotations=[f"{n.label_}:{n.text}" for n in notes
                              if turn.start <= n.start < turn.end],
                 journalist_name=info.get("journalist_name"), outlet=info.get("outlet"),
                 role_source=info.get("role_source") or None)
    rows.add("documents", doc_id=did, path=src.path, sha256=src.sha256, n_chars=len(text),
             n_words=n_words_doc, n_turns=len(turns),
             n_sentences=sum(len(v) for v in sents_of.values()), status="ok",
             error=None, pipeline_version=version, encoding=src.encoding or None,
             restore_mode=doc._.restore_mode, language=detect_language(text))
    return rows
