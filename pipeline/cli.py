"""The ``transcripts`` command line: a thin layer over batch, jobs and evaluate."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import PipelineError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Raw political transcripts → per-turn Parquet tables.")


def _fail(e: PipelineError) -> None:
    typer.secho(f"error: {e}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@contextmanager
def _reported():
    """A PipelineError inside: printed, and exit code 2."""
    try:
        yield
    except PipelineError as e:
        _fail(e)


@app.command()
def run(
    inputs: List[Path] = typer.Argument(..., help="Text files and/or folders (every *.txt below)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: one Parquet dataset per table."),
    config: Optional[str] = typer.Option(None, help="Pipeline config (default configs/pipeline.cfg)."),
    n_process: int = typer.Option(1, "--n-process", "-n", help="Local worker processes."),
    shard_size: int = typer.Option(32, help="Documents per output shard."),
    batch_size: int = typer.Option(16, help="Documents per nlp.pipe batch."),
    max_chars: int = typer.Option(0, help="Longer documents are processed in chunks cut at turn "
                                  "or sentence boundaries (0 = spaCy's nlp.max_length)."),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address, e.g. tcp://host:8786."),
    force: bool = typer.Option(False, help="Replace an existing run in --out."),
    strict: bool = typer.Option(False, help="Stop at the first failed document."),
    progress: bool = typer.Option(True, help="Show a progress bar."),
) -> None:
    """Process transcripts and write documents, turns, sentences, entities, topic_mentions."""
    from . import config_hash
    from .batch import discover, make_shards, prepare_output, run as run_shards
    from .jobs import ShardTask, preload, run_shard
    from .tables import TABLES, schema_hash

    with _reported():
        files, problems = discover(inputs)
        chash = config_hash(config) + (f"+max_chars={max_chars}" if max_chars else "")
        prepare_output(out, {"config_hash": chash, "pipeline_version": __version__,
                             "schema_hash": schema_hash(),
                             "config": config or "configs/pipeline.cfg", "tables": list(TABLES)},
                       force)
    for path, reason in problems:
        typer.secho(f"warning: [T005] {path}: {reason}", fg=typer.colors.YELLOW, err=True)
    if not files:
        _fail(PipelineError("T006", "no .txt input files found in "
                            + ", ".join(str(p) for p in inputs)))
    shards = make_shards(files, shard_size)

    def spec(shard):
        return ShardTask(tuple((f.doc_id, str(f.path)) for f in shard.files), config, chash,
                         batch_size, max_chars)

    from tqdm import tqdm
    bar = tqdm(total=len(files), unit="doc", disable=not progress, file=sys.stderr)
    totals = {"ok": 0, "failed": 0, "words": 0, "skipped": 0}

    def on_result(res):
        n = len(res.failed)
        totals["failed"] += n
        totals["ok"] += res.counts.get("documents", 0) - n
        totals["words"] += res.n_words
        totals["skipped"] += res.counts.get("documents", 0) if res.skipped else 0
        for doc_id, err in res.failed:
            tqdm.write(f"failed: {doc_id}: {err}", file=sys.stderr)
        bar.update(res.counts.get("documents", 0))

    t0 = time.perf_counter()
    with bar, _reported():
        run_shards(shards, out, spec, run_shard, TABLES, n_process=n_process,
                   scheduler=scheduler, on_result=on_result, strict=strict,
                   warmup=lambda: preload(spec(shards[0])))
    secs = time.perf_counter() - t0
    words = totals["words"]
    resumed = f" ({totals['skipped']} already done)" if totals["skipped"] else ""
    typer.echo(f"{totals['ok']} ok, {totals['failed']} failed{resumed}; {words} words in "
               f"{secs:.1f}s ({words / max(secs, 1e-9):.0f} words/s) -> {out}")
    if totals["failed"] or problems:
        raise typer.Exit(1)


@app.command("eval")
def evaluate_cmd(
    gold: List[Path] = typer.Argument(..., help="Seed-like gold files (.seedlike.jsonl)."),
    split: str = typer.Option("dev", help="dev | tune | train | all: which documents to score."),
    limit: int = typer.Option(0, help="At most this many documents per file (0 = all)."),
    entities: bool = typer.Option(False, help="Also score entities against en_core_web_sm on the original."),
    config: Optional[str] = typer.Option(None, help="Pipeline config."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
    documents: Optional[Path] = typer.Option(
        None, "--documents", help="Also write one CSV row per document (words misattributed, "
        "turn counts), most words misattributed first."),
) -> None:
    """Score the pipeline on seed-like gold: boundaries, turns, speakers, entities."""
    from .evaluate import evaluate_files

    with _reported():
        evaluate_files(gold, split=split, limit=limit, entities=entities, config=config,
                       json_out=json_out, documents_out=documents)


@app.command()
def report(
    tables: Path = typer.Argument(..., help="A folder written by `transcripts run`."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="The HTML file to write."),
    title: str = typer.Option("", help="Page title (default: the folder's name)."),
) -> None:
    """One self-contained HTML page: talk share, topics per speaker, timelines, entities."""
    from .report import write_report

    with _reported():
        typer.echo(f"wrote {write_report(tables, out, title)}")


@app.command()
def show(
    file: Path = typer.Argument(..., help="A transcript (.txt)."),
    out: Path = typer.Option(Path("doc.html"), "--out", "-o", help="The HTML file to write."),
    config: Optional[str] = typer.Option(None, help="Pipeline config."),
) -> None:
    """The restored transcript as HTML: turns, speakers, entities, topics per sentence."""
    from .show import write_show

    with _reported():
        typer.echo(f"wrote {write_show(file, out, config=config)}")


@app.command()
def version() -> None:
    """Print the package version."""
    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
