"""Evaluation on seed-like gold (the format of ../shared/data/seedlike).

Scores follow the definitions of the shared scorer (``tools/score_tables.py``):
sentence-boundary P/R/F1 of sentence starts (turn speech starts count, positions
inside speaker labels are ignored), turn-start P/R/F1 of label starts with speaker
accuracy on matched turns, word-level speaker attribution, and optionally entity
P/R/F1 against en_core_web_sm run on the original punctuated sentences.
Documents are chosen by the fixed split of :func:`pipeline.golddata.split_of`, less
those whose text copies a document the models learned from (:func:`left_out`).
"""
from __future__ import annotations

import bisect
import csv
import io
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Collection, Dict, Iterable, List, Optional, Sequence, Set

from .batch import atomic_write_bytes
from .golddata import WORD_RE, in_split, read_jsonl, unseen_copies
from .tables import Source, doc_rows


def safe_name(doc_id: str) -> str:
    """The file stem the shared tools give a document (make_corpus.safe_name)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id)[:120]


def _prf(tp: int, fp: int, fn: int):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _norm(s) -> str:
    return " ".join(str(s or "").lower().split())


class Scorer:
    """Accumulates counts over documents; ``figures()`` gives the micro averages."""

    def __init__(self):
        self.c = defaultdict(int)

    def add(self, gold: dict, turns: List[dict], sents: List[dict], ents: Optional[List[dict]] = None,
            ref_ents: Optional[set] = None) -> None:
        c = self.c
        text = gold["seedlike"]
        starts = [m.start() for m in re.finditer(r"\S+", text)]
        tokens = text.split()
        at = {ch: i for i, ch in enumerate(starts)}
        marker = set()
        for gt in gold["turns"]:
            marker.update(range(gt["start"], gt["text_start"]))
        gs = {x["start"] for x in gold["sentences"]} | {x["text_start"] for x in gold["turns"]}
        gs = {i for i in gs if i not in marker and 0 < i < len(tokens)}
        ps = set()
        for s in sents:
            i = at.get(int(s["start_char"]), -1)
            if i == -1:
                ps.add(("mid-word", int(s["start_char"])))
            elif i not in marker and 0 < i < len(tokens):
                ps.add(i)
        c["s_tp"] += len(gs & ps); c["s_fp"] += len(ps - gs); c["s_fn"] += len(gs - ps)
        g_turn = {x["start"]: _norm(x["speaker"]) for x in gold["turns"]}
        p_turn, spans = {}, []
        for t in turns:
            spans.append((int(t["start_char"]), int(t["end_char"]), _norm(t["speaker"])))
            if t["marker_start"] is not None:
                p_turn[at.get(int(t["marker_start"]), ("mid-word", int(t["marker_start"])))] = \
                    _norm(t["speaker"])
        c["t_tp"] += len(g_turn.keys() & p_turn.keys())
        c["t_fp"] += len(p_turn.keys() - g_turn.keys())
        c["t_fn"] += len(g_turn.keys() - p_turn.keys())
        for j in g_turn.keys() & p_turn.keys():
            c["spk_n"] += 1
            c["spk_ok"] += int(g_turn[j] == p_turn[j])
        spans.sort()
        begins = [x[0] for x in spans]
        for gt in gold["turns"]:
            who = _norm(gt["speaker"])
            for i in range(gt["text_start"], gt["end"]):
                k = bisect.bisect_right(begins, starts[i]) - 1
                ok = k >= 0 and spans[k][0] <= starts[i] < spans[k][1] and spans[k][2] == who
                c["w_ok"] += int(ok); c["w_n"] += 1
        if ents is not None and ref_ents is not None:
            ends = {st + len(w): i for i, (st, w) in enumerate(zip(starts, tokens))}
            pred = set()
            for e in ents:
                j = ends.get(int(e["end_char"]))
                pred.add((at.get(int(e["start_char"])), (j + 1) if j is not None else None, e["label"]))
            c["e_tp"] += len(ref_ents & pred); c["e_fp"] += len(pred - ref_ents)
            c["e_fn"] += len(ref_ents - pred)
        c["docs"] += 1
        c["words"] += len(tokens)

    def figures(self) -> Dict[str, float]:
        c = self.c
        out: Dict[str, float] = {"docs": c["docs"], "words": c["words"]}
        out["sentence_p"], out["sentence_r"], out["sentence_f1"] = _prf(c["s_tp"], c["s_fp"], c["s_fn"])
        out["turn_p"], out["turn_r"], out["turn_f1"] = _prf(c["t_tp"], c["t_fp"], c["t_fn"])
        out["speaker_acc"] = c["spk_ok"] / c["spk_n"] if c["spk_n"] else 0.0
        out["word_attribution"] = c["w_ok"] / c["w_n"] if c["w_n"] else 0.0
        if c["e_tp"] + c["e_fp"] + c["e_fn"]:
            out["entity_p"], out["entity_r"], out["entity_f1"] = _prf(c["e_tp"], c["e_fp"], c["e_fn"])
        return out


def reference_entities(ref_nlp, gold: dict) -> set:
    """en_core_web_sm on each original sentence, as (word start, word end, label)."""
    tokens = gold["seedlike"].split()
    out = set()
    for s in gold["sentences"]:
        sent_words = tokens[s["start"]:s["end"]]
        cursor = 0
        for ent in ref_nlp(s["text"]).ents:
            ew = [w.lower() for w in WORD_RE.findall(ent.text.replace("\u2019", "'"))]
            if not ew:
                continue
            for i in range(cursor, len(sent_words) - len(ew) + 1):
                if sent_words[i:i + len(ew)] == ew:
                    out.add((s["start"] + i, s["start"] + i + len(ew), ent.label_))
                    cursor = i + len(ew)
                    break
    return out


def records(columns: Dict[str, list]) -> List[dict]:
    """A table's columns (``DocRows.cols[table]``) as one dict per row, as the scorer takes them."""
    return [dict(zip(columns, vals)) for vals in zip(*columns.values())]


def select(path: Path, split: str, limit: int, exclude: Collection[str] = ()) -> Iterable[dict]:
    """The documents of ``split`` in a gold file (``all``: every one), less ``exclude``."""
    n = 0
    for g in read_jsonl(path):
        if not in_split(g["doc_id"], split) or g["doc_id"] in exclude:
            continue
        n += 1
        if limit and n > limit:
            return
        yield g


def left_out(gold_files: Sequence[Path], splits: Sequence[str], echo=print) -> Set[str]:
    """The documents of each of ``splits`` that copy a document the models scored on it
    learned from (:func:`unseen_copies`), named on ``echo``; the scores leave them out.
    The gold files are read once for all splits."""
    docs = [g for path in gold_files for g in read_jsonl(path)]
    out: Set[str] = set()
    for split in splits:
        for doc_id in sorted(unseen_copies(docs, split)):
            echo(f"left out of {split}: {doc_id} (a copy of a document the models learned from)")
            out.add(doc_id)
    return out


DOCUMENT_COLUMNS = ("file", "doc_id", "words", "speech_words", "words_misattributed",
                    "word_attribution", "turn_tp", "turn_fp", "turn_fn", "turn_f1",
                    "sentence_f1")


def document_row(file: str, doc_id: str, scorer: "Scorer") -> Dict[str, object]:
    """One document's figures (a :class:`Scorer` that saw it alone), as a row of the
    ``--documents`` table: the words its turns give to the wrong speaker, and its turn
    counts, show where attribution is lost."""
    c, f = scorer.c, scorer.figures()
    return {"file": file, "doc_id": doc_id, "words": c["words"], "speech_words": c["w_n"],
            "words_misattributed": c["w_n"] - c["w_ok"],
            "word_attribution": round(f["word_attribution"], 4), "turn_tp": c["t_tp"],
            "turn_fp": c["t_fp"], "turn_fn": c["t_fn"], "turn_f1": round(f["turn_f1"], 4),
            "sentence_f1": round(f["sentence_f1"], 4)}


def write_documents(rows: List[Dict[str, object]], path: Path) -> None:
    """The per-document rows as CSV, most words misattributed first (written atomically)."""
    rows = sorted(rows, key=lambda r: (-int(r["words_misattributed"]), str(r["doc_id"])))
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=DOCUMENT_COLUMNS)
    w.writeheader()
    w.writerows(rows)
    atomic_write_bytes(Path(path), buf.getvalue().encode("utf-8"))


def evaluate_files(gold_files: List[Path], *, split: str = "dev", limit: int = 0,
                   entities: bool = False, config: Optional[str] = None,
                   json_out: Optional[Path] = None, documents_out: Optional[Path] = None,
                   echo=print) -> Dict[str, Dict[str, float]]:
    from . import load
    from .entities import load_english

    nlp = load(config)
    ref_nlp = load_english("en_core_web_sm") if entities else None
    results = {}
    total = Scorer()
    skip = left_out(gold_files, [split], echo)
    per_doc: List[Dict[str, object]] = []
    for path in gold_files:
        name = path.name.split(".")[0]
        scorer = Scorer()
        docs = list(select(path, split, limit, skip))
        t0 = time.perf_counter()
        for g, doc in zip(docs, nlp.pipe(g["seedlike"] for g in docs)):
            rows = doc_rows(doc, Source(safe_name(g["doc_id"]), str(path)), "eval").cols
            turns, sents, ents = (records(rows[t]) for t in ("turns", "sentences", "entities"))
            ref = reference_entities(ref_nlp, g) if ref_nlp is not None else None
            scorers = [scorer, total] + ([Scorer()] if documents_out else [])  # + this doc
            for s in scorers:
                s.add(g, turns, sents, ents if ref is not None else None, ref)
            if documents_out:
                per_doc.append(document_row(name, g["doc_id"], scorers[-1]))
        results[name] = scorer.figures()
        results[name]["seconds"] = time.perf_counter() - t0
        echo(format_line(name, results[name]))
    if len(gold_files) > 1:
        results["all"] = total.figures()
        echo(format_line("all", results["all"]))
    if json_out:
        Path(json_out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    if documents_out:
        write_documents(per_doc, documents_out)
    return results


def format_line(name: str, f: Dict[str, float]) -> str:
    line = (f"{name}: {int(f['docs'])} docs, {int(f['words'])} words | sentence boundaries "
            f"P={f['sentence_p']:.3f} R={f['sentence_r']:.3f} F1={f['sentence_f1']:.3f} | turn starts "
            f"P={f['turn_p']:.3f} R={f['turn_r']:.3f} F1={f['turn_f1']:.3f}, speaker acc "
            f"{f['speaker_acc']:.3f} | word attribution {f['word_attribution']:.4f}")
    if "entity_f1" in f:
        line += f" | entities P={f['entity_p']:.3f} R={f['entity_r']:.3f} F1={f['entity_f1']:.3f}"
    return line
