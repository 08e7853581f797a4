"""Throughput and memory of the pipeline, measured in one run.

    python benchmarks/throughput.py [--docs 200] [--gold ../shared/data/seedlike/*.jsonl]

Builds a corpus of seed-form documents (the gold files' texts, or the bundled corpus
repeated when no gold file is given or found), then prints:
  * words/s of the full pipeline (pipeline.load + nlp.pipe, one process),
  * words/s of bare en_core_web_sm (spacy.load + nlp.pipe, all default components)
    on the same raw texts, and their ratio (the target is >= 1.0),
  * the speed-up of `transcripts run --n-process 2` over one process,
  * peak memory (RSS) of `transcripts run` on the corpus and on the corpus x10.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_corpus(gold: list[str], n_docs: int) -> list[str]:
    texts: list[str] = []
    for path in gold:
        with open(path, encoding="utf-8") as f:
            for line in f:
                texts.append(json.loads(line)["seedlike"])
                if len(texts) >= n_docs:
                    return texts
    if not texts:
        base = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
        while len(texts) < n_docs:
            texts.extend(base)
    return texts[:n_docs]


def words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def time_pipe(nlp, texts, batch_size=16) -> float:
    for _ in nlp.pipe(texts[:2], batch_size=batch_size):  # warm-up
        pass
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - t0


def run_cli(corpus: Path, out: Path, *extra: str) -> tuple[float, int]:
    """Wall time and peak RSS (KiB, the run and its workers) of one `transcripts run`."""
    code = ("import resource, sys, time; from pipeline.cli import app; t=time.perf_counter();\n"
            "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('BENCH', time.perf_counter()-t, max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))")
    res = subprocess.run([sys.executable, "-c", code, "run", str(corpus), "--out", str(out),
                          "--no-progress", *extra], capture_output=True, text=True, cwd=ROOT)
    line = [x for x in res.stdout.splitlines() if x.startswith("BENCH")]
    if not line:
        raise SystemExit(f"transcripts run failed:\n{res.stdout}\n{res.stderr}")
    _, secs, rss = line[-1].split()
    return float(secs), int(rss)


def worker_busy(out: Path) -> list[float]:
    """Seconds each worker process spent running shards (model loading included)."""
    busy: dict[int, float] = {}
    for f in (out / "_done").glob("*.json"):
        rec = json.loads(f.read_text())
        busy[rec["pid"]] = busy.get(rec["pid"], 0.0) + rec["seconds"]
    return sorted(busy.values(), reverse=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--gold", nargs="*", default=sorted(glob.glob(
        str(ROOT.parent / "shared/data/seedlike/*.seedlike.jsonl"))))
    ap.add_argument("--skip-processes", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--memory-docs", type=int, default=20,
                    help="documents in the x1 corpus of the memory measurement")
    ap.add_argument("--config", default=None,
                    help="pipeline config to measure (default: configs/pipeline.cfg)")
    a = ap.parse_args()
    cfg = ("--config", a.config) if a.config else ()

    import pipeline
    from pipeline.entities import load_english

    texts = build_corpus(a.gold, a.docs)
    n = words(texts)
    print(f"corpus: {len(texts)} documents, {n} words (cores: {os.cpu_count()})")
    nlp = pipeline.load(a.config)
    t_full = time_pipe(nlp, texts)
    sm = load_english("en_core_web_sm")
    t_sm = time_pipe(sm, texts)
    print(f"full pipeline:        {n / t_full:8.0f} words/s")
    print(f"bare en_core_web_sm:  {n / t_sm:8.0f} words/s  ({sm.meta['name']} {sm.meta['version']}: "
          f"{', '.join(sm.pipe_names)})")
    print(f"ratio pipeline / en_core_web_sm: {t_sm / t_full:.2f}x")
    del sm

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i, t in enumerate(texts):
            (corpus / f"doc{i:05d}.txt").write_text(t, encoding="utf-8")
        if not a.skip_processes:
            s1, _ = run_cli(corpus, Path(tmp) / "p1", "--shard-size", "8", *cfg)
            s2, _ = run_cli(corpus, Path(tmp) / "p2", "--shard-size", "8", "--n-process", "2",
                              *cfg)
            print(f"transcripts run, 1 process: {s1:.1f}s; 2 processes: {s2:.1f}s; "
                  f"speed-up {s1 / s2:.2f}x")
            busy = worker_busy(Path(tmp) / "p2")
            print("  2 processes, seconds each worker spent in shards (from _done records): "
                  + ", ".join(f"{b:.1f}s" for b in busy)
                  + f"; the rest of {s2:.1f}s is start-up (imports, spawning, model loading)")
        if not a.skip_memory:
            base = texts[:a.memory_docs]
            peaks = {}
            for times in (1, 10):
                folder = Path(tmp) / f"corpus{times}"
                folder.mkdir()
                for k in range(times):
                    for i, t in enumerate(base):
                        (folder / f"r{k}_doc{i:05d}.txt").write_text(t, encoding="utf-8")
                _, peaks[times] = run_cli(folder, Path(tmp) / f"m{times}", *cfg)
            print(f"peak memory of transcripts run: {len(base)} documents ({words(base)} words) "
                  f"{peaks[1] / 1024:.0f} MiB; x10 {peaks[10] / 1024:.0f} MiB "
                  f"(ratio {peaks[10] / peaks[1]:.2f})")


if __name__ == "__main__":
    main()
