"""``transcripts show``: one transcript as a person would read it, in HTML.

Turns with speaker names, roles and qualifiers; the restored text (punctuation
and casing); entities highlighted in displaCy's colours; topics tagged per
sentence; stage notes listed under their turn.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import List, Optional, Tuple

from spacy.displacy.render import DEFAULT_LABEL_COLORS
from spacy.tokens import Doc, Span

from .html import colours, page
from .restoring import render
from .tables import sentence_of, sentence_spans
from .tokenizer import is_word
from .topics import TOPICS
from .turns import NOTES, TURNS, non_speech_tokens


def _sentence_html(doc: Doc, a: int, b: int, excluded: set, ents: List[Span]) -> str:
    """The restored sentence ``[a, b)`` with its entities marked."""
    text, offsets = render(doc, a, b, excluded)
    pos = {i: (s, e) for i, s, e in offsets}
    marks = []
    for ent in ents:
        inside = [i for i in range(ent.start, ent.end) if i in pos]
        if inside:
            marks.append((pos[inside[0]][0], pos[inside[-1]][1], ent.label_, ent.kb_id_))
    out, at = [], 0
    for s, e, label, kb in sorted(marks):
        if s < at:
            continue
        colour = DEFAULT_LABEL_COLORS.get(label, "#ddd")
        title = f' title="{escape(kb)}"' if kb else ""
        out.append(escape(text[at:s]))
        out.append(f'<mark class="entity" style="background:{colour}"{title}>{escape(text[s:e])}'
                   f'<span class="label">{escape(label)}</span></mark>')
        at = e
    out.append(escape(text[at:]))
    return "".join(out)


def _by_sentence(sents: List[Tuple[int, int, int, int]], spans) -> List[List[Span]]:
    """The spans that lie inside each sentence, as in the tables."""
    starts = [s[1] for s in sents]
    out: List[List[Span]] = [[] for _ in sents]
    for span in spans:
        k = sentence_of(sents, starts, span.start, span.end)
        if k is not None:
            out[k].append(span)
    return out


def build_show(doc: Doc, title: str) -> str:
    """The page for one processed Doc."""
    turns = list(doc.spans.get(TURNS, []))
    excluded = non_speech_tokens(doc)
    notes = list(doc.spans.get(NOTES, []))
    speakers = list(dict.fromkeys(t._.turn["speaker"] for t in turns))
    colour = colours(speakers)
    sents = sentence_spans(doc, excluded)
    ents_in = _by_sentence(sents, doc.ents)
    topics_in = _by_sentence(sents, doc.spans.get(TOPICS, []))
    by_turn: dict = {}
    for j, (k, _, _, words) in enumerate(sents):
        if words:  # a stage note alone is listed under the turn's notes
            by_turn.setdefault(k, []).append(j)
    n_words = sum(1 for t in doc if is_word(t) and t.i not in excluded)
    parts = [f"<h1>{escape(title)}</h1>",
             f'<p class="meta">{len(turns)} turns · {n_words:,} words · mode '
             f"{escape(doc._.restore_mode or '')} · {len(doc.ents)} entities</p>"]
    for k, turn in enumerate(turns):
        info = turn._.turn
        flags = "".join(f'<span class="badge">{f}</span>' for f, on in
                        (("through translator", info["via_translator"]),
                         ("off mike", info["off_mike"])) if on)
        marker = doc[turn.start:info["speech_start"]].text.strip()
        said = f' <span class="meta">“{escape(marker)}”</span>' if marker else ""
        paras = []
        for j in by_turn.get(k, []):
            _, a, b, _ = sents[j]
            html = _sentence_html(doc, a, b, excluded, ents_in[j])
            topics = sorted({t.label_ for t in topics_in[j]})
            tags = "".join(f'<span class="badge topic">{escape(t)}</span>' for t in topics)
            paras.append(f'<p class="sent">{html}{tags}</p>')
        mine = [n for n in notes if turn.start <= n.start < turn.end]
        note = (f'<p class="notes">{", ".join(f"[{escape(n.label_)}: {escape(n.text)}]" for n in mine)}'
                "</p>") if mine else ""
        parts.append(f'<section class="turn" style="--c:{colour[info["speaker"]]}"><header>'
                     f'{escape(info["name"] or info["speaker"])} <span class="role">'
                     f'{escape(info["role"])}</span>{flags}{said}</header>{"".join(paras)}'
                     f"{note}</section>")
    return page(title, "\n".join(parts))


def write_show(path: Path | str, out: Path | str, nlp=None, config: Optional[str] = None) -> Path:
    """Process one text file and write its page to ``out``."""
    from . import load
    from .reading import read_document

    text = read_document(path).text
    nlp = nlp or load(config)
    nlp.max_length = max(nlp.max_length, len(text) + 1)  # one page: the components are windowed
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_show(nlp(text), Path(path).name), encoding="utf-8")
    return out
