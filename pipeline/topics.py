"""``transcript_topics``: topic mentions from a user-editable taxonomy.

A topic (``configs/taxonomy.yaml``) is signalled by phrases (matched on
lowercased words, punctuation between words optional) and by canonical entity
ids. A turn that mentions none of a topic's signals but answers a turn that
did, and uses one of the topic's context cues (``the pipeline`` after a question
on Nord Stream 2), inherits the topic with ``method = "context"``.

Assigns ``doc.spans["topics"]`` (label = topic id) and ``span._.topic_method``
(``phrase`` | ``entity`` | ``context``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Set

from spacy.language import Language
from spacy.tokens import Doc, Span

from .errors import PipelineError
from .phrases import WordPhraseMatcher
from .resources import load_yaml, resolve
from .turns import TURNS, non_speech_tokens

TOPICS = "topics"
if not Span.has_extension("topic_method"):
    Span.set_extension("topic_method", default="phrase")


@dataclass
class Topic:
    id: str
    label: str
    parent: str = ""
    phrases: List[str] = field(default_factory=list)
    entities: List[str] = field(default_factory=list)
    context_cues: List[str] = field(default_factory=list)


def load_taxonomy(path) -> List[Topic]:
    data = load_yaml(path)
    topics = []
    seen = set()
    for raw in data.get("topics") or []:
        if not isinstance(raw, dict) or "id" not in raw:
            raise PipelineError("T107", f"every topic in {path} needs an id: {raw!r}")
        if raw["id"] in seen:
            raise PipelineError("T107", f"topic id {raw['id']!r} appears twice in {path}")
        seen.add(raw["id"])
        topics.append(Topic(id=raw["id"], label=raw.get("label", raw["id"]),
                            parent=str(raw.get("parent") or ""),
                            phrases=list(raw.get("phrases") or []),
                            entities=list(raw.get("entities") or []),
                            context_cues=list(raw.get("context_cues") or [])))
    return topics


class TopicTagger:
    def __init__(self, nlp: Language, name: str = "transcript_topics", *, taxonomy_path: str,
                 context_turns: int = 3):
        self.name = name
        self.taxonomy_path = taxonomy_path
        self.context_turns = context_turns
        self.vocab = nlp.vocab
        self._build(load_taxonomy(taxonomy_path))

    def _build(self, topics: List[Topic]) -> None:
        self.topics = {t.id: t for t in topics}
        self.phrases = WordPhraseMatcher(self.vocab)
        self.cues = WordPhraseMatcher(self.vocab)
        self.by_entity: Dict[str, Set[str]] = {}
        for t in topics:
            self.phrases.add(t.id, t.phrases)
            self.cues.add(t.id, t.context_cues)
            for e in t.entities:
                self.by_entity.setdefault(e, set()).add(t.id)

    def __call__(self, doc: Doc) -> Doc:
        skip = non_speech_tokens(doc)
        mentions: List[Span] = []
        seen = set()

        def add(tid: str, s: int, e: int, method: str):
            if (tid, s, e) in seen or any(i in skip for i in range(s, e)):
                return
            seen.add((tid, s, e))
            span = Span(doc, s, e, label=tid)
            span._.topic_method = method
            mentions.append(span)

        for tid, s, e in self.phrases(doc):
            add(tid, s, e, "phrase")
        for ent in doc.ents:
            for tid in self.by_entity.get(ent.kb_id_, ()):
                add(tid, ent.start, ent.end, "entity")
        self._context(doc, mentions, add)
        doc.spans[TOPICS] = sorted(mentions, key=lambda m: (m.start, m.label_))
        return doc

    def _context(self, doc: Doc, mentions: List[Span], add) -> None:
        turns = list(doc.spans.get(TURNS, []))
        if not turns:
            return
        starts = [t.start for t in turns]
        direct: List[Set[str]] = [set() for _ in turns]
        for m in mentions:
            k = max(i for i, s in enumerate(starts) if s <= m.start) if starts[0] <= m.start else 0
            direct[k].add(m.label_)
        cue_hits = self.cues(doc)
        for k, turn in enumerate(turns):
            info = turn._.turn or {}
            if info.get("role") == "narrator":
                continue
            carried: Set[str] = set()
            for j in range(max(0, k - self.context_turns), k):
                if (turns[j]._.turn or {}).get("role") != "narrator":
                    carried |= direct[j]
            for tid in sorted(carried - direct[k]):
                for ctid, s, e in cue_hits:
                    if ctid == tid and turn.start <= s and e <= turn.end:
                        add(tid, s, e, "context")
                        break

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "taxonomy.yaml").write_bytes(resolve(self.taxonomy_path).read_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "TopicTagger":
        f = Path(path) / "taxonomy.yaml"
        if f.exists():
            self.taxonomy_path = str(f)
            self._build(load_taxonomy(f))
        return self


@Language.factory(
    "transcript_topics",
    requires=["doc.spans", "doc.ents"],
    assigns=["doc.spans", "span._.topic_method"],
    default_config={"taxonomy_path": "configs/taxonomy.yaml", "context_turns": 3},
)
def make_topics(nlp: Language, name: str, taxonomy_path: str, context_turns: int) -> TopicTagger:
    return TopicTagger(nlp, name, taxonomy_path=taxonomy_path, context_turns=context_turns)
