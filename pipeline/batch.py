"""The batch runner: inputs → deterministic shards → Parquet datasets, resumably.

It knows nothing of NLP: it is handed a picklable ``task(spec) -> {table: pyarrow.Table}``.
Habits taken from datatrove: shards are fixed by sorted ``doc_id`` and named
``part-NNNNN``; every file is written to a temporary name and renamed; a shard
is done when its completion record ``_done/part-NNNNN.json`` exists with the
same input fingerprint, so a rerun after a crash or Ctrl-C redoes only the
shards that are not done and never duplicates rows. ``_run.json`` holds the
config hash: an output folder is never shared by two configs (``force`` clears it).
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import PipelineError

_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
RUN_FILE = "_run.json"
DONE_DIR = "_done"


@dataclass
class InputFile:
    doc_id: str
    path: Path


def discover(inputs: Sequence[str | Path], suffix: str = ".txt") -> Tuple[List[InputFile], List[Tuple[str, str]]]:
    """Files to process (sorted by doc_id) and problems found on the way (path, reason).

    A directory contributes every ``*.txt`` below it, ``doc_id`` being the path
    relative to it without the suffix; a file given directly is named by its stem.
    Nothing named is dropped: a broken symbolic link, a missing input and a folder
    that cannot be listed are returned as files too (their reading fails, so they
    appear in ``documents`` as failed), and also as problems."""
    found: Dict[str, InputFile] = {}
    problems: List[Tuple[str, str]] = []
    for raw in inputs:
        root = Path(raw)
        if not root.is_dir():
            if not root.exists():
                problems.append((str(root), "no such file or directory"
                                 + (" (broken symbolic link)" if root.is_symlink() else "")))
            _add(found, problems, InputFile(root.stem, root))
            continue
        for p, reason in _walk(root, suffix):
            if reason:
                problems.append((str(p), reason))
            did = p.relative_to(root).as_posix()
            did = did[:-len(suffix)] if did.endswith(suffix) else did + "/"
            _add(found, problems, InputFile(did, p))
    return [found[k] for k in sorted(found)], problems


def _walk(root: Path, suffix: str) -> Iterable[Tuple[Path, str]]:
    """``(path, problem)`` for every ``*suffix`` file below ``root`` (problem ``""``
    when none), and for every folder that could not be listed."""
    errors: List[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(suffix):
                continue
            p = Path(folder, name)
            yield p, ("broken symbolic link" if p.is_symlink() and not p.exists() else "")
    for e in errors:
        yield Path(e.filename), f"folder cannot be listed ({e.strerror or e})"


def _add(found: Dict[str, InputFile], problems, f: InputFile) -> None:
    if f.doc_id in found and found[f.doc_id].path != f.path:
        problems.append((str(f.path), f"doc_id {f.doc_id!r} already taken by {found[f.doc_id].path}; skipped"))
    else:
        found[f.doc_id] = f


@dataclass
class Shard:
    index: int
    files: List[InputFile]

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"

    def n_bytes(self) -> int:
        """Input size: the work a shard is, roughly."""
        return sum(f.path.stat().st_size for f in self.files if f.path.is_file())

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for f in self.files:
            st = f.path.stat() if f.path.exists() else None
            h.update(f"{f.doc_id}\0{f.path}\0{st.st_size if st else -1}\0"
                     f"{st.st_mtime_ns if st else -1}\n".encode())
        return h.hexdigest()[:16]


def make_shards(files: Sequence[InputFile], shard_size: int) -> List[Shard]:
    if shard_size < 1:
        raise PipelineError("T202", f"shard size must be at least 1, not {shard_size}")
    return [Shard(i // shard_size, list(files[i:i + shard_size]))
            for i in range(0, len(files), shard_size)]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_tables(out: Path, name: str, tables: Dict[str, pa.Table]) -> None:
    for table, data in tables.items():
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{name}.parquet"
        tmp = folder / f".{name}.parquet.tmp-{os.getpid()}"
        pq.write_table(data, tmp, compression="zstd")
        os.replace(tmp, final)


def prepare_output(out: Path, run_info: dict, force: bool) -> None:
    """Create ``out`` or check that it holds a run of the same config."""
    run_file = out / RUN_FILE
    if force and out.exists():
        for child in [RUN_FILE, DONE_DIR, *run_info.get("tables", [])]:
            p = out / child
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    if run_file.exists():
        old = json.loads(run_file.read_text(encoding="utf-8"))
        if old.get("config_hash") != run_info["config_hash"]:
            raise PipelineError("T201", f"{out} holds a run of another config "
                                f"({old.get('config_hash')} vs {run_info['config_hash']}); "
                                "choose another --out or pass --force to replace it")
        if old.get("schema_hash") != run_info.get("schema_hash"):
            raise PipelineError("T201", f"{out} holds tables of other schemas (written by "
                                f"pipeline version {old.get('pipeline_version')}); choose "
                                "another --out or pass --force to replace them")
    elif out.exists() and any(p.name not in (".DS_Store",) for p in out.iterdir()):
        raise PipelineError("T201", f"{out} is not empty and holds no transcript-pipeline run; "
                            "choose another --out or pass --force")
    out.mkdir(parents=True, exist_ok=True)
    (out / DONE_DIR).mkdir(exist_ok=True)
    for stale in out.glob("*/.*.tmp-*"):  # left by a run that was killed mid-write
        stale.unlink()
    atomic_write_bytes(run_file, json.dumps(run_info, indent=2).encode())


@dataclass
class ShardResult:
    name: str
    skipped: bool
    counts: Dict[str, int] = field(default_factory=dict)
    failed: List[Tuple[str, str]] = field(default_factory=list)  # (doc_id, error)
    n_words: int = 0
    seconds: float = 0.0


def _execute(task: Callable, spec, shard: Shard, out: Path) -> ShardResult:
    """Run one shard and record it as done (runs in whatever process executes it)."""
    t0, started = time.perf_counter(), time.time()
    tables = task(spec)
    write_tables(out, shard.name, tables)
    docs = tables["documents"].to_pydict()
    failed = [(d, e) for d, s, e in zip(docs["doc_id"], docs["status"], docs["error"])
              if s != "ok"]
    res = ShardResult(shard.name, False, {t: v.num_rows for t, v in tables.items()}, failed,
                      int(sum(docs["n_words"])), time.perf_counter() - t0)
    record = {"fingerprint": shard.fingerprint(), "doc_ids": [f.doc_id for f in shard.files],
              "counts": res.counts, "failed": failed, "n_words": res.n_words,
              "started": round(started, 3), "seconds": round(res.seconds, 3), "pid": os.getpid()}
    atomic_write_bytes(out / DONE_DIR / f"{shard.name}.json", json.dumps(record).encode())
    return res


def _done(out: Path, shard: Shard) -> Optional[ShardResult]:
    p = out / DONE_DIR / f"{shard.name}.json"
    if not p.exists():
        return None
    rec = json.loads(p.read_text(encoding="utf-8"))
    if rec.get("fingerprint") != shard.fingerprint():
        return None
    return ShardResult(shard.name, True, rec["counts"], [tuple(x) for x in rec["failed"]],
                       rec.get("n_words", 0))


def _remove_stale(out: Path, shards: Sequence[Shard], tables: Iterable[str]) -> None:
    """Drop shard files of an earlier run with more shards than this one."""
    keep = {s.name for s in shards}
    for folder in [out / t for t in tables] + [out / DONE_DIR]:
        if folder.is_dir():
            for p in folder.iterdir():
                if p.name.startswith("part-") and p.name.split(".")[0] not in keep:
                    p.unlink()


def run(shards: Sequence[Shard], out: Path, make_spec: Callable[[Shard], object],
        task: Callable, tables: Sequence[str], *, n_process: int = 1,
        scheduler: Optional[str] = None, on_result: Optional[Callable[[ShardResult], None]] = None,
        strict: bool = False, warmup: Optional[Callable[[], None]] = None) -> List[ShardResult]:
    """Run every shard not already done; local (``n_process`` processes) or on Dask.

    ``warmup`` (e.g. loading the models) runs in this process before local workers are
    forked, so that they start with it done and share its memory."""
    _remove_stale(out, shards, tables)
    results: List[ShardResult] = []
    todo = []
    for s in shards:
        done = _done(out, s)
        if done is not None:
            results.append(done)
            if on_result:
                on_result(done)
        else:
            todo.append(s)

    def collect(res: ShardResult):
        results.append(res)
        if on_result:
            on_result(res)
        if strict and res.failed:
            raise PipelineError("T203", f"--strict: {res.failed[0][0]} failed: {res.failed[0][1]}")

    # largest shards first, so that no worker is left with a big one at the end (the
    # output does not depend on the order: shards and their names are fixed)
    todo.sort(key=lambda s: (-s.n_bytes(), s.index))
    if scheduler:
        _run_dask(todo, out, make_spec, task, scheduler, collect)
    elif n_process > 1 and len(todo) > 1:
        _run_local(todo, out, make_spec, task, n_process, collect, warmup)
    else:
        for s in todo:
            collect(_execute(task, make_spec(s), s, out))
    return sorted(results, key=lambda r: r.name)


def _one_blas_thread() -> None:
    """In a forked worker: one BLAS thread (n workers with n threads each only fight for the
    cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency
        return
    threadpool_limits(1)


def _run_local(todo, out, make_spec, task, n_process: int, collect, warmup) -> None:
    """Worker processes: forked after ``warmup`` where the platform forks (Linux), so the
    models are loaded once and shared; else spawned, with one BLAS thread each from the
    environment (spawned workers read it when they import NumPy)."""
    methods = multiprocessing.get_all_start_methods()
    saved = {v: os.environ.get(v) for v in _THREAD_VARS}
    if "fork" in methods:
        if warmup is not None:
            warmup()
        gc.freeze()  # the collector leaves the loaded objects alone: fewer copy-on-write pages
        ctx, init = multiprocessing.get_context("fork"), _one_blas_thread
    else:
        for var in _THREAD_VARS:
            os.environ.setdefault(var, "1")
        ctx, init = multiprocessing.get_context("spawn"), None
    try:
        with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx, initializer=init) as pool:
            futures = [pool.submit(_execute, task, make_spec(s), s, out) for s in todo]
            try:
                for f in as_completed(futures):
                    collect(f.result())
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


def _run_dask(todo, out, make_spec, task, scheduler: str, collect) -> None:
    try:
        from dask.distributed import Client, as_completed as dask_completed
    except ImportError:
        raise PipelineError("T204", "--scheduler needs dask.distributed: "
                            "pip install 'transcript-pipeline[dask]'") from None
    client = scheduler if not isinstance(scheduler, str) else None
    own = client is None
    if own:
        client = Client(scheduler)
    try:
        futures = [client.submit(_execute, task, make_spec(s), s, out, pure=False, key=f"{s.name}-{s.fingerprint()}")
                   for s in todo]
        for f in dask_completed(futures):
            collect(f.result())
    finally:
        if own:
            client.close()
