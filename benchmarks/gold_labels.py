"""Word attribution against the gold, and against the gold with the source's unsplit labels split.

    python benchmarks/gold_labels.py [--split dev] [--data ../shared/data] [--tools ../shared/tools]

Some speaker labels of the source transcripts were never split into turns: a paragraph inside
one speaker's turn opens with another speaker's label (kremlin.ru: `President of Turkey Recep
Tayyip Erdogan (retranslated): Thank you, Mr President.`, `Question (retranslated): ...`,
`Minister of Industry and Trade Denis Manturov: Mr President, ...`). The seed-like gold
(`tools/make_seedlike.py`) then gives the guest's words to the host. This script finds such
paragraphs in `data/transcripts/*.jsonl`: a line that opens with words each capitalised
(particles such as `of` aside, no conjunction or preposition first) and a colon, whose speaker
key (the converter's own `speaker_key`) is a speaker of the document, or `Question`; or a line
whose label carries a note on the language (`(retranslated)`, `(speaks Russian)`), which leaves
no doubt, whatever its words and though a guest who speaks nowhere else is no speaker of the
document (`Secretary-General of the Organisation for Economic Co-operation and Development
(OECD) Jose Angel Gurria (retranslated): Thank you`). It rebuilds the gold with each such
line a turn of that speaker (its words the label), checks that the words (and, where it splits
none, the turns) are those of the seed-like file, and scores one run of the pipeline against
both golds with the project's own scorer (`pipeline.evaluate.Scorer`), leaving out the same
copies as `transcripts eval`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = ("wh_briefings", "kremlin_qa")

# how unsplit labels are found and split lives in the package (train_verifier --targets split)
from pipeline.golddata import (load_converter, name_like, split_gold,  # noqa: E402,F401
                               unsplit_label, with_split_labels)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tools", type=Path, default=ROOT.parent / "shared" / "tools")
    ap.add_argument("--config", default=None)
    ap.add_argument("--sources", nargs="+", default=list(SOURCES), choices=SOURCES)
    a = ap.parse_args(argv)

    from pipeline import load
    from pipeline.evaluate import Scorer, format_line, left_out, records, safe_name, select
    from pipeline.tables import Source, doc_rows

    conv = load_converter(a.tools)
    gold_files = [a.data / "seedlike" / f"{s}.seedlike.jsonl" for s in a.sources]
    skip = left_out(gold_files, [a.split])
    nlp = load(a.config)
    totals: Dict[str, Scorer] = {"gold": Scorer(), "split": Scorer()}
    docs_of = {name: list(select(path, a.split, 0, skip))
               for name, path in zip(a.sources, gold_files)}
    try:
        fixed_of = iter(with_split_labels([g for d in docs_of.values() for g in d],
                                          a.data / "transcripts", conv))
    except ValueError as e:
        raise SystemExit(str(e))
    for name, path in zip(a.sources, gold_files):
        scorers = {"gold": Scorer(), "split": Scorer()}
        docs = docs_of[name]
        n_labels = n_words = 0
        for g, doc in zip(docs, nlp.pipe(g["seedlike"] for g in docs)):
            fixed = next(fixed_of)
            n_labels += len(fixed["turns"]) - len(g["turns"])
            starts = {t["start"] for t in g["turns"]}
            n_words += sum(t["end"] - t["text_start"] for t in fixed["turns"]
                           if t["start"] not in starts)
            rows = doc_rows(doc, Source(safe_name(g["doc_id"]), str(path)), "eval").cols
            tables = [records(rows[t]) for t in ("turns", "sentences")]
            for which, gold in (("gold", g), ("split", fixed)):
                for s in (scorers[which], totals[which]):
                    s.add(gold, *tables)
        print(f"{name}: {n_labels} unsplit labels split, their turns {n_words} words")
        for which in ("gold", "split"):
            print(format_line(f"  {which}", scorers[which].figures()))
    for which in ("gold", "split"):
        print(format_line(f"all {which}", totals[which].figures()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
