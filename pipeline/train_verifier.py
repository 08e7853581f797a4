"""Train the label verifier (:mod:`pipeline.label_verifier`).

    python -m pipeline.train_restorer --data ../shared/data --out /tmp/restorer-train-a \
        --hold-out train-b --epochs 6 --seed 13 --threads 2
    python -m pipeline.train_verifier --data ../shared/data --fit-restorer /tmp/restorer-train-a \
        --out models/turn_verifier/verifier.json

Every candidate label of every document of the ``train-b`` half of the train split is a
row, positive where a gold turn's label starts (about 11,700 rows). Their features come
from a restorer that never learned from ``train-b`` (``--fit-restorer``, trained with
``--hold-out train-b``): on documents it learned from, the label head is over-confident,
and a verifier fit on those scores learns to trust weak labels it should not. The model
(logistic regression or an MLP of ``--hidden`` units), the L2 strength and the threshold
are chosen by turn-start F1 plus word attribution, summed over
two views of unseen text: the tune split (shipped restorer; 35 documents) and a two-fold
cross-fit of the fit documents (each half scored by weights fit on the other half; 289
documents). Tune alone is small enough that one document's flip decides. Documents whose
text copies one the scoring restorer learned from are left out and named
(:func:`pipeline.evaluate.left_out`). The MLPs are fit
with PyTorch (the ``train`` extra); the result runs with numpy only. ``--seeds 13 14 15``
fits each MLP once per seed and averages their logits (one file, same format). About 7
minutes on 2 cores with one seed. ``--fit-split train-a train-b`` with one held-out restorer
per split (``--fit-restorer /tmp/restorer-train-b /tmp/restorer-train-a``) fits on both
halves; its cross-fit scores each split by weights fit on the others (about 15 minutes).
``--trees 200`` adds gradient-boosted trees (scikit-learn, the ``train`` extra; numpy at run
time) to the grid, and ``--veto`` lets every fit re-decide the rules' unqualified labels
too; ``--targets split`` fits and chooses on the gold with the source transcripts' unsplit
labels split (:func:`pipeline.golddata.with_split_labels`: a guest who speaks in such a
paragraph is a speaker there, not the host's speech). None of the three is in the shipped fit
(models/turn_verifier/MODEL_CARD.md, session 59).
The candidates and features are those the pipeline computes
(:meth:`pipeline.turns.TurnSegmenter.evidence`).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np
from spacy.tokens import Doc

from .evaluate import Scorer, left_out, records, safe_name, select
from .golddata import load_converter, with_split_labels
from .label_verifier import FEATURES, BoostedVerifier, LabelVerifier, Verifier
from .tables import Source, doc_rows
from .tokenizer import is_word

GOLD_FILES = ("wh_briefings.seedlike.jsonl", "kremlin_qa.seedlike.jsonl")


class _Fixed:
    """Stands in for a verifier: precomputed probabilities for one document."""

    def __init__(self, probs: np.ndarray, threshold: float):
        self.probs, self.threshold = probs, threshold

    def predict(self, X: np.ndarray) -> np.ndarray:
        assert len(X) == len(self.probs)
        return self.probs

    added = predict


def gold_label_starts(gold: dict, doc: Doc, words: List[int]) -> set:
    """Word indices (into ``words``) where a gold turn's speaker label starts."""
    starts = [m.start() for m in re.finditer(r"\S+", gold["seedlike"])]
    marked = {starts[t["start"]] for t in gold["turns"] if t["text_start"] > t["start"]}
    return {k for k, i in enumerate(words) if doc[i].idx in marked}


def build(nlp, golds: Sequence[dict]):
    """Restored docs, and per document the candidate features and gold targets."""
    seg = nlp.get_pipe("transcript_turns")
    rest = nlp.get_pipe("transcript_restorer")
    docs, Xs, ys = [], [], []
    for g, doc in zip(golds, rest.pipe(nlp.make_doc(g["seedlike"]) for g in golds)):
        words = [t.i for t in doc if is_word(t)]
        ev = seg.evidence(doc, words)
        gold = gold_label_starts(g, doc, words)
        docs.append(doc.to_bytes())
        Xs.append(ev.X)
        ys.append(np.array([c.k in gold for c in ev.cands], dtype=np.float64))
    return docs, Xs, ys


def fit_mlp(X: np.ndarray, y: np.ndarray, *, hidden: int, l2: float, threshold: float = 0.5,
            seed: int = 13, iters: int = 300) -> LabelVerifier:
    """One tanh hidden layer of ``hidden`` units, fit by L-BFGS on the summed log loss plus
    ``l2`` times the squared weights (biases free), with PyTorch (the train extra); the
    result runs with numpy only."""
    import torch

    torch.manual_seed(seed)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = torch.tensor((X - mean) / scale, dtype=torch.float64)
    t = torch.tensor(y, dtype=torch.float64)
    net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], hidden), torch.nn.Tanh(),
                              torch.nn.Linear(hidden, 1)).double()
    opt = torch.optim.LBFGS(net.parameters(), max_iter=iters, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            net(Z).squeeze(1), t, reduction="sum")
        loss = loss + l2 * (net[0].weight.pow(2).sum() + net[2].weight.pow(2).sum())
        loss.backward()
        return loss

    opt.step(closure)
    return LabelVerifier(net[2].weight.detach().numpy()[0], float(net[2].bias.item()), mean,
                         scale, threshold, hidden_weights=net[0].weight.detach().numpy().T,
                         hidden_bias=net[0].bias.detach().numpy())


def fit_trees(X: np.ndarray, y: np.ndarray, *, trees: int, l2: float,
              threshold: float = 0.5) -> BoostedVerifier:
    """``trees`` rounds of gradient boosting (learning rate 0.05, at most 15 leaves a tree,
    20 rows a leaf, ``l2`` on the leaf values; no early stopping, so no random validation
    split: deterministic), with scikit-learn (the train extra); the result runs with numpy
    only."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=trees, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=20,
        l2_regularization=l2, early_stopping=False, random_state=13).fit(X, y)
    return BoostedVerifier.from_sklearn(model, threshold)


def fit(X: np.ndarray, y: np.ndarray, *, hidden: int, l2: float, threshold: float = 0.5,
        seeds: Sequence[int] = (13,), trees: int = 0, vetoes: bool = False) -> Verifier:
    """Boosted trees (``trees`` rounds, :func:`fit_trees`), logistic regression (``hidden``
    0), or :func:`fit_mlp` once per seed with the fits' logits averaged
    (:meth:`LabelVerifier.average`): a bag of seeds keeps one start of L-BFGS from deciding
    what a refit adds. ``vetoes``: the verifier re-decides the rules' unqualified labels
    too (:attr:`Verifier.vetoes`)."""
    if trees:
        model: Verifier = fit_trees(X, y, trees=trees, l2=l2, threshold=threshold)
    elif hidden:
        model = LabelVerifier.average([fit_mlp(X, y, hidden=hidden, l2=l2, threshold=threshold,
                                               seed=s) for s in seeds])
    else:
        model = LabelVerifier.fit(X, y, l2=l2, threshold=threshold)
    model.vetoes = vetoes
    return model


def cross_folds(sizes: Sequence[int]) -> List[int]:
    """The cross-fit's fold of each fit document, the fit splits' documents in order
    (``sizes`` documents each): with two splits or more, its split (each scored by weights
    fit on the others: train-a by a fit on train-b and the other way round); one split is
    cut into alternate halves."""
    if len(sizes) > 1:
        return [i for i, n in enumerate(sizes) for _ in range(n)]
    return [k % 2 for k in range(sizes[0])]


def rules_alone(Xs: List[np.ndarray]) -> List[np.ndarray]:
    """Per document, 1 for the rules' labels and 0 for the other candidates: scoring these
    gives the hand rules without the verifier."""
    return [X_[:, FEATURES.index("rule")] for X_ in Xs]


def score(groups: Sequence[tuple], threshold: float) -> Dict[str, float]:
    """The figures of :class:`~pipeline.evaluate.Scorer` over ``groups`` of ``(nlp, golds,
    docs, probs)``: each group's documents segmented by its own pipeline (the fit halves
    come with different restorers and word lists) with the verifier's probabilities fixed."""
    scorer = Scorer()
    for nlp, golds, docs, probs in groups:
        seg = nlp.get_pipe("transcript_turns")
        try:
            for g, blob, p in zip(golds, docs, probs):
                seg.verifier = _Fixed(p, threshold)
                doc = seg(Doc(nlp.vocab).from_bytes(blob))
                rows = doc_rows(doc, Source(safe_name(g["doc_id"]), "x"), "eval").cols
                scorer.add(g, records(rows["turns"]), records(rows["sentences"]))
        finally:
            seg.verifier = None
    return scorer.figures()


def _kind(hidden: int, trees: int) -> str:
    return f"trees {trees}" if trees else f"hidden {hidden}"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--targets", choices=("gold", "split"), default="gold",
                    help="label starts to fit and choose on: the seed-like gold, or the gold "
                         "with the source transcripts' unsplit labels split (needs --tools)")
    ap.add_argument("--tools", type=Path, default=Path("../shared/tools"),
                    help="the folder of make_seedlike.py (for --targets split)")
    ap.add_argument("--config", default="configs/pipeline.cfg")
    ap.add_argument("--out", type=Path, default=Path("models/turn_verifier/verifier.json"))
    ap.add_argument("--fit-split", nargs="+", default=["train-b"],
                    help="documents the weights are learned from (train-b; or train-a train-b)")
    ap.add_argument("--fit-restorer", type=Path, nargs="+", default=None,
                    help="per --fit-split, a restorer model folder that never learned from it "
                         "(train_restorer --hold-out); its scores are those of unseen text")
    ap.add_argument("--split", default="tune", help="documents L2 and threshold are chosen on")
    ap.add_argument("--hidden", type=int, nargs="+", default=[0, 8, 16],
                    help="hidden units of the MLP; 0: logistic regression")
    ap.add_argument("--trees", type=int, nargs="*", default=[],
                    help="rounds of gradient-boosted trees to add to the grid (scikit-learn); "
                         "none by default: MLPs and logistic regression alone")
    ap.add_argument("--veto", action="store_true",
                    help="every fit re-decides the rules' labels too, all but those with a "
                         "qualifier (default: they are kept)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[13],
                    help="seeds of the MLP fits whose logits are averaged (a bag)")
    ap.add_argument("--l2", type=float, nargs="+", default=[1.0, 10.0])
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.4, 0.5, 0.6, 0.7])
    args = ap.parse_args(argv)
    if args.split in args.fit_split:
        ap.error("--fit-split and --split must differ: thresholds are chosen on unseen documents")
    if args.fit_restorer is not None and len(args.fit_restorer) != len(args.fit_split):
        ap.error("give one --fit-restorer per --fit-split")
    if any(args.hidden) and importlib.util.find_spec("torch") is None:
        ap.error("--hidden above 0 fits an MLP with PyTorch: pip install -e '.[train]', "
                 "or pass --hidden 0 for logistic regression alone")
    if args.trees and importlib.util.find_spec("sklearn") is None:
        ap.error("--trees fits boosted trees with scikit-learn: pip install -e '.[train]'")

    from . import load
    off = {"components.transcript_turns.verifier_path": ""}
    nlp = load(args.config, **off)
    if args.fit_restorer is None:
        print("warning: no --fit-restorer: the features of the fit documents come from a "
              "restorer that may have learned from them (over-confident label scores)")
    seedlike = args.data / "seedlike"
    files = [seedlike / name for name in GOLD_FILES]
    skip = left_out(files, [args.split, *args.fit_split])
    golds = [g for path in files for g in select(path, args.split, 0, skip)]
    conv = load_converter(args.tools) if args.targets == "split" else None

    def targets(gs: List[dict]) -> List[dict]:
        """The golds to fit and choose on (``--targets``)."""
        return with_split_labels(gs, args.data / "transcripts", conv) if conv else gs

    golds = targets(golds)
    # per fit split: its pipeline (restorer and word lists), documents, features, targets
    fits = []
    for i, split in enumerate(args.fit_split):
        fit_nlp = nlp
        if args.fit_restorer is not None:
            r = args.fit_restorer[i]
            fit_nlp = load(args.config, **off, **{
                "components.transcript_restorer.model_path": str(r),
                "components.transcript_turns.non_openers_path": str(r / "non_openers.json"),
                "components.transcript_turns.common_words_path": str(r / "common_words.json")})
        fit_golds = targets([g for path in files for g in select(path, split, 0, skip)])
        fits.append((fit_nlp, fit_golds, *build(fit_nlp, fit_golds)))
    fit_golds = [g for f in fits for g in f[1]]
    fXs = [x for f in fits for x in f[3]]
    fys = [v for f in fits for v in f[4]]
    X, y = np.vstack(fXs), np.concatenate(fys)
    print(f"fit on {len(fit_golds)} {'+'.join(args.fit_split)} documents: {len(y)} "
          f"candidates, {int(y.sum())} labels", flush=True)
    docs, Xs, _ = build(nlp, golds)
    base = score([(nlp, golds, docs, rules_alone(Xs))], 0.5)
    print(f"{args.split}, hand rules alone: turn F1 {base['turn_f1']:.3f} "
          f"attribution {base['word_attribution']:.4f}", flush=True)
    flat = cross_folds([len(f[1]) for f in fits])
    folds = sorted(set(flat))
    fold_rows = [(np.vstack([x for x, h in zip(fXs, flat) if h != held]),
                  np.concatenate([v for v, h in zip(fys, flat) if h != held])) for held in folds]

    def groups(per_doc: List[np.ndarray]) -> List[tuple]:
        out, at = [], 0
        for fit_nlp, golds_, docs_, *_ in fits:
            out.append((fit_nlp, golds_, docs_, per_doc[at:at + len(golds_)]))
            at += len(golds_)
        return out

    cross_base = score(groups(rules_alone(fXs)), 0.5)
    print(f"cross-fit, hand rules alone: turn F1 {cross_base['turn_f1']:.3f} "
          f"attribution {cross_base['word_attribution']:.4f}", flush=True)
    best = None
    # (hidden units, boosting rounds): the MLPs and logistic regression, then the trees
    kinds = [(h, 0) for h in args.hidden] + [(0, n) for n in args.trees]
    for hidden, trees in kinds:
        for l2 in args.l2:
            kw = dict(hidden=hidden, l2=l2, seeds=args.seeds, trees=trees, vetoes=args.veto)
            model = fit(X, y, **kw)
            probs = [model.added(X_) for X_ in Xs]
            others = [fit(Xh, yh, **kw) for Xh, yh in fold_rows]
            cross = [others[folds.index(h)].added(X_) for X_, h in zip(fXs, flat)]
            for t in args.thresholds:
                fig = score([(nlp, golds, docs, probs)], t)
                cfig = score(groups(cross), t)
                total = sum(f["word_attribution"] + f["turn_f1"] for f in (fig, cfig))
                print(f"{_kind(hidden, trees)} l2 {l2} threshold {t}: {args.split} turn F1 "
                      f"{fig['turn_f1']:.3f} attribution {fig['word_attribution']:.4f} | "
                      f"cross-fit turn F1 {cfig['turn_f1']:.3f} attribution "
                      f"{cfig['word_attribution']:.4f}", flush=True)
                if best is None or total > best[0]:
                    best = (total, hidden, trees, l2, t, fig, cfig)
    _, hidden, trees, l2, t, fig, cfig = best
    model = fit(X, y, hidden=hidden, l2=l2, threshold=t, seeds=args.seeds, trees=trees,
                vetoes=args.veto)
    model.to_file(args.out, trained_on={
        "fit_split": "+".join(args.fit_split), "targets": args.targets,
        "documents": len(fit_golds),
        "candidates": int(len(y)),
        "fit_restorer": "+".join(map(str, args.fit_restorer or [args.config])),
        # hidden units per seed; a bag of n seeds holds n times as many (LabelVerifier.average)
        "hidden": hidden, "seeds": list(args.seeds) if hidden else [], "trees": trees,
        "l2": l2,
        "threshold_split": args.split,
        "threshold_split_scores": {"turn_f1": round(fig["turn_f1"], 4),
                                   "word_attribution": round(fig["word_attribution"], 4)},
        "cross_fit_scores": {"turn_f1": round(cfig["turn_f1"], 4),
                             "word_attribution": round(cfig["word_attribution"], 4)},
        "cross_fit_hand_rules_alone": {"turn_f1": round(cross_base["turn_f1"], 4),
                                       "word_attribution": round(cross_base["word_attribution"], 4)},
        "hand_rules_alone": {"turn_f1": round(base["turn_f1"], 4),
                             "word_attribution": round(base["word_attribution"], 4)}})
    print(f"kept {_kind(hidden, trees)} l2 {l2} threshold {t} ({args.split}: turn F1 "
          f"{fig['turn_f1']:.3f}, attribution {fig['word_attribution']:.4f}; cross-fit: turn F1 "
          f"{cfig['turn_f1']:.3f}, attribution {cfig['word_attribution']:.4f}); wrote {args.out}")
    if not hidden and not trees:
        print(json.dumps(dict(zip(FEATURES, np.round(model.weights, 3).tolist())), indent=0))


if __name__ == "__main__":
    main()
