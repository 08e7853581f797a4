"""``transcripts report``: one self-contained HTML page about a folder of tables.

Talk share per speaker, topics per speaker (heatmap), a topic timeline along
each transcript, top entities per speaker and the documents with their status.
It reads only the Parquet tables: no NLP here.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Dict

import pandas as pd

from .errors import PipelineError
from .html import Raw, bar_chart, colours, heatmap, legend, page, table, timeline
from .tables import NAMED_LABELS, TABLES

TOP_SPEAKERS = 12
TOP_ENTITIES = 8
MAX_TIMELINES = 40


def read_tables(folder: Path | str) -> Dict[str, pd.DataFrame]:
    """The five tables of a ``transcripts run`` output folder as DataFrames."""
    folder = Path(folder)
    missing = [t for t in TABLES if not (folder / t).is_dir()]
    if missing:
        raise PipelineError("T205", f"{folder}: not a tables folder of `transcripts run` "
                            f"(no {', '.join(missing)}); pass the folder given to --out")
    return {t: pd.read_parquet(folder / t) for t in TABLES}


def _who(turns: pd.DataFrame) -> pd.Series:
    """A readable speaker key: the display name, with the role."""
    name = turns.speaker_name.fillna(turns.speaker).where(turns.speaker_name != "", turns.speaker)
    return name + " (" + turns.role + ")"


def speaker_words(turns: pd.DataFrame) -> pd.DataFrame:
    """Words, turns and share of all speech words per speaker (``who``), largest first."""
    out = turns.groupby("who").agg(words=("n_words", "sum"), turns=("turn_id", "size"))
    out["share"] = out.words / max(1, out.words.sum())
    return out.sort_values(["words", "turns"], ascending=False)


def _with_speaker(turns: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (sentences, entities) with the ``who`` of their turn."""
    return rows.merge(turns[["doc_id", "turn_id", "who"]], on=["doc_id", "turn_id"], how="left")


def build_report(tables: Dict[str, pd.DataFrame], title: str = "Transcript report") -> str:
    docs = tables["documents"].fillna({"language": "", "restore_mode": "", "error": ""})
    turns = tables["turns"].assign(who=lambda d: _who(d))
    words = speaker_words(turns)
    top = list(words.index[:TOP_SPEAKERS])
    colour = colours(top)
    ok = docs[docs.status == "ok"]
    parts = [f"<h1>{escape(title)}</h1>",
             f'<p class="meta">{len(docs)} documents ({len(ok)} ok, {len(docs) - len(ok)} '
             f"failed) · {int(ok.n_words.sum()):,} speech words · {len(turns):,} turns · "
             f"{len(words):,} speakers</p>"]

    parts.append("<h2>Talk share per speaker (words)</h2>")
    parts.append(bar_chart([(who, float(r.words), f"{r.share:.1%} · {int(r.turns)} turns")
                            for who, r in words.head(20).iterrows()]))

    parts.append("<h2>Topics per speaker</h2><p class=\"meta\">Share of each speaker's "
                 "sentences that mention the topic (number of sentences in the cell).</p>")
    sents = _with_speaker(turns, tables["sentences"])
    per = sents.explode("topics").dropna(subset=["topics"])
    per = per[per.who.isin(top)]
    counts = per.groupby(["who", "topics"]).size()
    topics = list(per.topics.value_counts().index)
    totals = sents.groupby("who").size()
    rows = [w for w in top if w in totals.index]
    share = [[counts.get((w, t), 0) / totals[w] for t in topics] for w in rows]
    peak = max([v for r in share for v in r] or [1]) or 1
    parts.append(heatmap(rows, topics, [[v / peak for v in r] for r in share],
                         [[int(counts.get((w, t), 0)) for t in topics] for w in rows]))

    parts.append("<h2>Topic timeline</h2>" + legend(colour))
    mentions = tables["topic_mentions"]
    for doc in ok.sort_values("doc_id").head(MAX_TIMELINES).itertuples():
        t = turns[turns.doc_id == doc.doc_id]
        m = mentions[mentions.doc_id == doc.doc_id]
        rows_t = [(topic, list(g.start_char)) for topic, g in m.groupby("topic")]
        band = [(int(a), int(b), w) for a, b, w in zip(t.start_char, t.end_char, t.who)]
        parts.append(f"<h3>{escape(doc.doc_id)}</h3>"
                     + timeline(int(doc.n_chars), band, colour, rows_t))
    if len(ok) > MAX_TIMELINES:
        parts.append(f'<p class="meta">… and {len(ok) - MAX_TIMELINES} more documents.</p>')

    parts.append("<h2>Top entities per speaker</h2>")
    ents = _with_speaker(turns, tables["entities"])
    ents = ents[ents.label.isin(NAMED_LABELS)]
    key = ents.entity_id.where(ents.entity_id.fillna("") != "", ents.text)
    ents = ents.assign(key=key)
    ent_rows = []
    for w in top:
        c = ents[ents.who == w].key.value_counts().head(TOP_ENTITIES)
        if len(c):
            ent_rows.append((w, ", ".join(f"{k} ({n})" for k, n in c.items())))
    parts.append(table(["speaker", f"top {TOP_ENTITIES} entities (mentions)"], ent_rows))

    parts.append("<h2>Documents</h2>")
    doc_rows = [(d.doc_id, Raw(f'<span class="status-{escape(d.status)}">{escape(d.status)}</span>'),
                 d.language, d.restore_mode, d.n_words, d.n_turns, d.n_sentences, d.error)
                for d in docs.sort_values("doc_id").itertuples()]
    parts.append(table(["doc_id", "status", "language", "mode", "words", "turns", "sentences",
                        "error"], doc_rows, ["", "", "", "", "num", "num", "num", ""]))
    return page(title, "\n".join(parts))


def write_report(folder: Path | str, out: Path | str, title: str = "") -> Path:
    """Read the tables in ``folder`` and write the report to ``out``."""
    tables = read_tables(folder)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(tables, title or f"Transcript report: {Path(folder).name}"),
                   encoding="utf-8")
    return out
