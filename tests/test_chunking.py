"""Chunking of long input: cuts tile the text, fall on boundaries, and rows merge back."""
from pipeline import __version__
from pipeline.chunking import boundary, plan_chunks
from pipeline.jobs import process_long
from pipeline.tables import Source, doc_rows

from conftest import HELSINKI


def test_plan_tiles_and_respects_the_limit():
    text = "word " * 1000
    spans = plan_chunks(text, 700, lambda lo, hi: text.rfind(" ", lo, hi) + 1)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in zip(spans, spans[1:]))
    assert all(0 < b - a <= 700 for a, b in spans)
    assert all(text[b - 1] == " " for _, b in spans[:-1])  # never inside a word
    # a cut outside the window is replaced by a hard cut, so the plan always ends
    assert plan_chunks("x" * 50, 20, lambda lo, hi: -1) == [(0, 20), (20, 40), (40, 50)]


def test_boundary_prefers_line_breaks_then_labels_then_sentences(nlp):
    text = "first line\nsecond line and more words here"
    assert boundary(nlp, text, 0, len(text)) == text.index("second")
    hel = HELSINKI.read_text(encoding="utf-8")
    lo, hi = 0, 6000
    cut = boundary(nlp, hel, lo, hi)
    assert lo < cut <= hi and hel[cut - 1] == " "
    doc = nlp(hel[:hi])
    starts = {t.idx for t in doc if t.is_sent_start}
    assert cut in starts  # a sentence (or turn) start of the whole text, too


def test_chunked_rows_equal_whole_rows(nlp):
    text = HELSINKI.read_text(encoding="utf-8")
    src = Source("h", "h.txt")
    whole = doc_rows(nlp(text), src, __version__).cols
    parts = process_long(nlp, text, src, 20000).cols  # 2 chunks
    assert len(parts["documents"]["doc_id"]) == 1
    assert parts["turns"]["speaker"] == whole["turns"]["speaker"]
    assert parts["turns"]["start_char"] == whole["turns"]["start_char"]
    assert parts["documents"]["n_words"] == whole["documents"]["n_words"]
    for a, b, t in zip(parts["sentences"]["start_char"], parts["sentences"]["end_char"],
                       parts["sentences"]["text"]):
        assert text[a:b] == t
    assert parts["sentences"]["sent_id"] == list(range(len(parts["sentences"]["sent_id"])))
