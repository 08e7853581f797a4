"""Every query in docs/analytics.md runs against the corpus's tables and prints what the page
says it prints. `python tests/test_analytics_docs.py --update` rewrites the outputs."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "analytics.md"
BLOCK = re.compile(r"```(sql|python)\n(.*?)```\n\n```text\n(.*?)```", re.S)


def blocks(text: str):
    """(language, code, printed output, match) for every query followed by its output."""
    return [(m.group(1), m.group(2), m.group(3), m) for m in BLOCK.finditer(text)]


def run_block(lang: str, code: str, tables: Path) -> str:
    import duckdb
    import pandas as pd

    folder = tables.as_posix().rstrip("/") + "/"
    if lang == "sql":
        df = duckdb.sql(code.replace("'tables/", f"'{folder}")).df()
        out = df.to_string(index=False)
    else:
        scope: dict = {}
        exec(code.replace('TABLES = "tables/"', f"TABLES = {folder!r}"), scope)
        result = scope["result"]
        out = result.to_string(index=not isinstance(result, pd.DataFrame))
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def test_docs_have_queries():
    found = blocks(DOC.read_text(encoding="utf-8"))
    assert len(found) >= 6 and {"sql", "python"} <= {b[0] for b in found}


@pytest.mark.parametrize("k", range(7))
def test_documented_query_prints_what_the_docs_say(corpus_tables, k):
    out, _ = corpus_tables
    found = blocks(DOC.read_text(encoding="utf-8"))
    if k >= len(found):
        pytest.fail(f"docs/analytics.md has {len(found)} queries, the test expects 7")
    lang, code, printed, _ = found[k]
    assert run_block(lang, code, out) == printed, (
        f"query {k + 1} of docs/analytics.md prints something else now; if the change is "
        "intended, run `python tests/test_analytics_docs.py --update`")


def update() -> None:
    """Run the corpus and write every query's output into docs/analytics.md."""
    import tempfile

    from typer.testing import CliRunner

    from pipeline.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tables"
        corpus = DOC.parent.parent / "corpus"
        res = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--no-progress"])
        assert res.exit_code == 0, res.output
        text = DOC.read_text(encoding="utf-8")
        for lang, code, _, m in reversed(blocks(text)):
            new = f"```{lang}\n{code}```\n\n```text\n{run_block(lang, code, out)}```"
            text = text[:m.start()] + new + text[m.end():]
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if "--update" not in sys.argv:
        sys.exit("usage: python tests/test_analytics_docs.py --update")
    update()
