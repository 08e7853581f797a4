"""How well restorers' label heads find speaker labels, on names they have seen and have not.

    python benchmarks/label_head.py MODEL [MODEL ...] [--split train-b] [--seen-from train-a]
        [--data ../shared/data]

Scores each restorer folder on the seed-like documents of ``--split`` (both sources; copies
of training documents left out, as by `transcripts eval`), with no turn rule or verifier in
between: the label head's probability that a word starts a label (``mark`` B) against the
gold label starts, and the sentence-end probability against the gold sentence ends (label
words left out). A label start is *unseen* where a word of its label is
no label word of ``--seen-from``'s gold, the data a restorer held out from ``--split`` was
trained on (`train_restorer --hold-out train-b` trains on train-a): a guest the network never
saw as a speaker. Prints average precision (all starts; unseen starts against the non-starts;
seen starts against the non-starts), precision and recall at four thresholds, and word-level
sentence-end F1 at 0.4 and 0.5.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, List, Set

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import _prf, left_out, select  # noqa: E402
from pipeline.restorer_model import MARK, RestorerModel  # noqa: E402
from pipeline.train_verifier import GOLD_FILES  # noqa: E402

THRESHOLDS = (0.1, 0.3, 0.5, 0.75)
SENTENCE_THRESHOLDS = (0.4, 0.5)


def average_precision(y: np.ndarray, s: np.ndarray) -> float:
    """Average precision of scores ``s`` for the positives of ``y`` (0/1)."""
    y = y[np.argsort(-s, kind="stable")]
    hits = np.cumsum(y)
    return float((hits / np.arange(1, len(y) + 1) * y).sum() / max(1.0, y.sum()))


def documents(data: Path, split: str) -> List[dict]:
    """The seed-like documents of ``split``, less those that copy a document of the training
    text (:func:`pipeline.evaluate.left_out`, as `transcripts eval` leaves them out)."""
    paths = [data / "seedlike" / name for name in GOLD_FILES]
    skip = left_out(paths, [split], echo=lambda *_: None)
    return [g for path in paths for g in select(path, split, 0, skip)]


def label_words(docs: List[dict]) -> Set[str]:
    seen: Set[str] = set()
    for g in docs:
        ws = g["seedlike"].split()
        for t in g["turns"]:
            seen.update(ws[t["start"]:t["text_start"]])
    return seen


def figures(model, docs: List[dict], seen: Set[str]) -> Dict[str, float]:
    """The label head's and the sentence ends' figures of ``model`` (anything with
    ``predict_many``) on ``docs``; ``seen``: label words of the model's training text."""
    ys, ss, unseen, ends, gold_ends = [], [], [], [], []
    b = MARK.index("B")
    for g in docs:
        ws = g["seedlike"].split()
        pred = model.predict_many([ws])[0]
        y = np.zeros(len(ws))
        new = np.zeros(len(ws), dtype=bool)
        label = np.zeros(len(ws), dtype=bool)
        for t in g["turns"]:
            y[t["start"]] = 1
            new[t["start"]] = any(w not in seen for w in ws[t["start"]:t["text_start"]])
            label[t["start"]:t["text_start"]] = True
        end = np.zeros(len(ws))
        for s in g["sentences"]:
            if 0 < s["end"] <= len(ws):
                end[s["end"] - 1] = 1
        ys.append(y), ss.append(pred.mark[:, b]), unseen.append(new)
        ends.append(pred.p_boundary[~label]), gold_ends.append(end[~label])
    y, s, new = np.concatenate(ys), np.concatenate(ss), np.concatenate(unseen)
    e, ge = np.concatenate(ends), np.concatenate(gold_ends)
    old = (y == 1) & ~new
    out = {"words": len(y), "starts": int(y.sum()), "unseen": int(new.sum()),
           "ap": average_precision(y, s),
           "ap_unseen": average_precision(y[(y == 0) | new], s[(y == 0) | new]),
           "ap_seen": average_precision(y[(y == 0) | old], s[(y == 0) | old])}
    for th in THRESHOLDS:
        hit = s >= th
        tp = int((hit & (y == 1)).sum())
        out[f"p@{th}"], out[f"r@{th}"], _ = _prf(tp, int(hit.sum()) - tp, int(y.sum()) - tp)
        out[f"r_unseen@{th}"] = float((hit & new).sum() / max(1, new.sum()))
        out[f"r_seen@{th}"] = float((hit & old).sum() / max(1, old.sum()))
    for th in SENTENCE_THRESHOLDS:
        hit = e >= th
        tp = int((hit & (ge == 1)).sum())
        out[f"sent_p@{th}"], out[f"sent_r@{th}"], out[f"sent_f1@{th}"] = _prf(
            tp, int(hit.sum()) - tp, int(ge.sum()) - tp)
    return out


def report(f: Dict[str, float]) -> None:
    print(f"  {f['words']} words, {f['starts']} label starts, {f['unseen']} unseen")
    print(f"  average precision: all {f['ap']:.4f}, unseen {f['ap_unseen']:.4f}, "
          f"seen {f['ap_seen']:.4f}")
    for th in THRESHOLDS:
        print(f"  label start >= {th:.2f}: P {f[f'p@{th}']:.4f} R {f[f'r@{th}']:.4f}"
              f" (unseen {f[f'r_unseen@{th}']:.4f}, seen {f[f'r_seen@{th}']:.4f})")
    for th in SENTENCE_THRESHOLDS:
        print(f"  sentence end >= {th:.1f}: P {f[f'sent_p@{th}']:.4f} "
              f"R {f[f'sent_r@{th}']:.4f} F1 {f[f'sent_f1@{th}']:.4f}")


def main(argv: List[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", type=Path, help="restorer folders")
    ap.add_argument("--split", default="train-b")
    ap.add_argument("--seen-from", default="train-a")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args(argv)
    docs = documents(a.data, a.split)
    seen = label_words(documents(a.data, a.seen_from))
    for path in a.models:
        print(path)
        report(figures(RestorerModel.from_disk(path, members=False), docs, seen))


if __name__ == "__main__":
    main()
