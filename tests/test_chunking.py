"""Chunking of long input: cuts tile the text, fall on boundaries, and rows merge back."""
from pipeline import __version__
from pipeline.chunking import boundary, plan_chunks
from pipeline.jobs import process_long
from pipeline.tables import Source, doc_rows

from pipeline.chunking import merge_rows
from pipeline.turns import CHUNK_KEY, TurnSegmenter

from conftest import HELSINKI
from test_turns import _doc


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


def test_a_repeated_label_at_a_cut_merges_as_in_one_doc(blank):
    # the turn the first chunk ends in continues across the cut for a person's repeated
    # label, and not for a role that stands for many people (two `question` turns)
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    for speaker, merged in (("putin", True), ("question", False)):
        first, second = f"trump hello {speaker} is it true ", f"{speaker} what about china"
        parts = []
        for i, (offset, text) in enumerate(((0, first), (len(first), second))):
            doc = _doc(blank, text, labels={0, 2} if i == 0 else {0})
            doc.user_data[CHUNK_KEY] = (i, 2)
            parts.append((offset, doc_rows(seg(doc), Source("d", "d.txt"), __version__)))
        rows = merge_rows(parts, first + second, seg.merges_repeats).cols["turns"]
        expected = ["trump", speaker] if merged else ["trump", speaker, speaker]
        assert rows["speaker"] == expected
        assert rows["turn_id"] == list(range(len(expected)))


def test_chunks_agree_on_an_inferred_role(blank):
    # the first chunk calls `kovacs` a governor, the second gives no evidence: one role
    seg = TurnSegmenter(blank, speakers_path="configs/speakers.yaml")
    first, second = "putin welcome governor kovacs kovacs thank you ", "putin good kovacs yes"
    parts = []
    for i, (offset, text) in enumerate(((0, first), (len(first), second))):
        doc = _doc(blank, text, labels={0, 4} if i == 0 else {0, 2})
        doc.user_data[CHUNK_KEY] = (i, 2)
        parts.append((offset, doc_rows(seg(doc), Source("d", "d.txt"), __version__)))
    assert parts[1][1].cols["turns"]["role"] == ["official", "unknown"]
    rows = merge_rows(parts, first + second, seg.merges_repeats).cols["turns"]
    assert rows["speaker"] == ["putin", "kovacs", "putin", "kovacs"]
    assert rows["role"] == ["official"] * 4
    assert rows["role_source"] == ["book", "title", "book", "title"]
