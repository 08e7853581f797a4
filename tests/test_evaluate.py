"""The evaluation scorer on hand-made gold, and the eval command end to end."""
import csv
import json
import re

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import DOCUMENT_COLUMNS, Scorer, document_row, write_documents

GOLD = {
    "doc_id": "hand:1",
    "seedlike": "putin thank you it s an honor question what about syria putin we discussed it",
    "turns": [{"speaker": "putin", "start": 0, "text_start": 1, "end": 6},
              {"speaker": "question", "start": 6, "text_start": 7, "end": 10},
              {"speaker": "putin", "start": 10, "text_start": 11, "end": 14}],
    "sentences": [{"start": 1, "end": 3, "text": "Thank you."},
                  {"start": 3, "end": 6, "text": "It's an honor."},
                  {"start": 7, "end": 10, "text": "What about Syria?"},
                  {"start": 11, "end": 14, "text": "We discussed it."}],
}


def _char(i):
    return [m.start() for m in re.finditer(r"\S+", GOLD["seedlike"])][i]


def _end(i):
    return [m.end() for m in re.finditer(r"\S+", GOLD["seedlike"])][i]


def _turn(speaker, ms, ts, end):
    return {"speaker": speaker, "marker_start": _char(ms), "start_char": _char(ts),
            "end_char": _end(end - 1)}


def test_perfect_prediction_scores_one():
    s = Scorer()
    turns = [_turn("putin", 0, 1, 6), _turn("question", 6, 7, 10), _turn("putin", 10, 11, 14)]
    sents = [{"start_char": _char(x["start"])} for x in GOLD["sentences"]]
    s.add(GOLD, turns, sents)
    f = s.figures()
    assert f["sentence_f1"] == 1.0 and f["turn_f1"] == 1.0
    assert f["speaker_acc"] == 1.0 and f["word_attribution"] == 1.0


def test_errors_are_counted():
    s = Scorer()
    # one turn missed: "question" merged into the first putin turn
    turns = [_turn("putin", 0, 1, 10), _turn("putin", 10, 11, 14)]
    sents = [{"start_char": _char(1)}, {"start_char": _char(7)}, {"start_char": _char(11)}]
    s.add(GOLD, turns, sents)
    f = s.figures()
    assert f["turn_r"] == 2 / 3 and f["turn_p"] == 1.0
    assert abs(f["word_attribution"] - 8 / 11) < 1e-9  # 3 question words misattributed
    # sentence starts: gold {1, 3, 7, 11} minus the position 1 at a turn start counts too
    assert f["sentence_r"] < 1.0 and f["sentence_p"] == 1.0
    row = document_row("hand", GOLD["doc_id"], s)
    assert row["words"] == 15 and row["speech_words"] == 11
    assert row["words_misattributed"] == 3 and (row["turn_tp"], row["turn_fn"]) == (2, 1)


def test_documents_table_puts_the_worst_first(tmp_path):
    rows = []
    for doc_id, turns in (("good", [_turn("putin", 0, 1, 6), _turn("question", 6, 7, 10),
                                    _turn("putin", 10, 11, 14)]),
                          ("bad", [_turn("putin", 0, 1, 14)])):
        s = Scorer()
        s.add(GOLD, turns, [])
        rows.append(document_row("hand", doc_id, s))
    out = tmp_path / "docs.csv"
    write_documents(rows, out)
    with open(out, newline="", encoding="utf-8") as fh:
        read = list(csv.DictReader(fh))
    assert [r["doc_id"] for r in read] == ["bad", "good"]
    assert tuple(read[0]) == DOCUMENT_COLUMNS
    assert (read[0]["words_misattributed"], read[1]["words_misattributed"]) == ("3", "0")


def test_eval_command(tmp_path):
    gold = tmp_path / "hand.seedlike.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    out = tmp_path / "figures.json"
    docs = tmp_path / "documents.csv"
    res = CliRunner().invoke(app, ["eval", str(gold), "--split", "all", "--json", str(out),
                                   "--documents", str(docs)])
    assert res.exit_code == 0, res.output
    assert "sentence boundaries" in res.output
    figures = json.loads(out.read_text())["hand"]
    assert figures["docs"] == 1 and 0.0 <= figures["sentence_f1"] <= 1.0
    with open(docs, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["doc_id"] == "hand:1" and row["file"] == "hand" and row["words"] == "15"
    speech = int(row["speech_words"])
    assert abs(float(row["word_attribution"])
               - (speech - int(row["words_misattributed"])) / speech) < 1e-4
    assert abs(float(row["word_attribution"]) - figures["word_attribution"]) < 1e-4


def _benchmark(name: str):
    """A script of benchmarks/ loaded as a module."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gold_labels_splits_the_labels_a_source_left_inside_a_turn():
    """benchmarks/gold_labels.py: a paragraph that opens with another speaker's label
    (kremlin.ru `... Erdogan (retranslated): Thank you`) becomes that speaker's turn, its
    label words the marker; a colon after lower-case words (`The bottom line is simple:`)
    or after a name that is no speaker of the document stays speech, unless a note on the
    language marks it a label (`Sigmar Gabriel (retranslated):`, who speaks nowhere else);
    the words are the converter's own."""
    from pathlib import Path

    import pytest

    from pipeline.golddata import load_converter

    tools = Path(__file__).resolve().parents[2] / "shared" / "tools"
    if not (tools / "make_seedlike.py").exists():
        pytest.skip("needs ../shared/tools/make_seedlike.py")
    conv = load_converter(tools)
    gold_labels = _benchmark("gold_labels")
    source = {"doc_id": "kremlin:1", "date": "2018-01-01", "turns": [
        {"speaker": "President of Russia Vladimir Putin",
         "text": "Welcome.\nPresident of Turkey Recep Tayyip Erdogan (retranslated): Thank you, "
                 "Mr President.\nThe bottom line is simple: we agree.\nAnkara Times: a paper."
                 "\nVice Chancellor Sigmar Gabriel (retranslated): Thanks."},
        {"speaker": "Recep Tayyip Erdogan", "text": "Yes."},
        {"speaker": "Question", "text": "For both."}]}
    words, turns, found = gold_labels.split_gold(conv, source)
    assert words == conv.convert(source, keep_stage=True)["seedlike"].split()
    assert found == 2
    assert [(t["speaker"], words[t["start"]:t["text_start"]],
             " ".join(words[t["text_start"]:t["end"]])) for t in turns] == [
        ("putin", ["putin"], "welcome"),
        ("erdogan", "president of turkey recep tayyip erdogan retranslated".split(),
         "thank you mr president the bottom line is simple we agree ankara times a paper"),
        ("gabriel", "vice chancellor sigmar gabriel retranslated".split(), "thanks"),
        ("erdogan", ["erdogan"], "yes"), ("question", ["question"], "for both")]


def test_with_split_labels_gives_the_gold_turns_of_unsplit_labels(tmp_path):
    """pipeline.golddata.with_split_labels (train_verifier --targets split): each seed-like
    gold gets the turns of its source transcript with the unsplit labels split; a document
    without its source, or whose words the converter does not rebuild, is named."""
    from pathlib import Path

    import pytest

    from pipeline.golddata import load_converter, with_split_labels

    tools = Path(__file__).resolve().parents[2] / "shared" / "tools"
    if not (tools / "make_seedlike.py").exists():
        pytest.skip("needs ../shared/tools/make_seedlike.py")
    conv = load_converter(tools)
    source = {"doc_id": "kremlin:2", "date": "2018-01-01", "turns": [
        {"speaker": "President of Russia Vladimir Putin",
         "text": "Welcome.\nPresident of Turkey Recep Tayyip Erdogan (retranslated): Thanks."},
        {"speaker": "Recep Tayyip Erdogan", "text": "Yes."}]}
    (tmp_path / "kremlin_qa.jsonl").write_text(json.dumps(source) + "\n", encoding="utf-8")
    gold = conv.convert(source, keep_stage=True)
    assert [t["speaker"] for t in gold["turns"]] == ["putin", "erdogan"]
    (fixed,) = with_split_labels([gold], tmp_path, conv)
    assert [t["speaker"] for t in fixed["turns"]] == ["putin", "erdogan", "erdogan"]
    assert fixed["seedlike"] == gold["seedlike"] and fixed["sentences"] == gold["sentences"]
    with pytest.raises(ValueError, match="kremlin:3: no source transcript"):
        with_split_labels([dict(gold, doc_id="kremlin:3")], tmp_path, conv)
    with pytest.raises(ValueError, match="kremlin:2: the converter's words or turns differ"):
        with_split_labels([dict(gold, seedlike=gold["seedlike"] + " extra")], tmp_path, conv)


def test_label_head_benchmark_scores_seen_and_unseen_labels_apart():
    """benchmarks/label_head.py: average precision of the label head's scores, with label
    starts whose words the training text never used as labels (`zolkin`) scored apart from
    the others (`putin`), and sentence ends scored without the label words."""
    import numpy as np

    from pipeline.restorer_model import CASE, MARK, PUNCT, Prediction

    label_head = _benchmark("label_head")
    assert label_head.average_precision(np.array([1, 0, 1, 0]),
                                        np.array([0.9, 0.8, 0.7, 0.1])) == (1 + 2 / 3) / 2
    #        0     1    2      3      4    5     6
    words = "putin good day zolkin thank you putin".split()
    doc = {"seedlike": " ".join(words),
           "turns": [{"start": 0, "text_start": 1, "end": 3},
                     {"start": 3, "text_start": 4, "end": 6},
                     {"start": 6, "text_start": 7, "end": 7}],
           "sentences": [{"start": 1, "end": 3}, {"start": 4, "end": 6}]}
    start = [0.9, 0.0, 0.6, 0.3, 0.0, 0.0, 0.8]  # `day` outscores the unseen `zolkin`
    end = [0.0, 0.0, 0.9, 0.0, 0.2, 0.7, 0.0]  # `thank`'s 0.2 is no end: F1 1 at 0.4

    class Model:
        def predict_many(self, docs):
            n = len(docs[0])
            mark, punct = np.zeros((n, len(MARK))), np.zeros((n, len(PUNCT)))
            mark[:, MARK.index("B")] = start
            punct[:, PUNCT.index(".")] = end
            return [Prediction(punct=punct, case=np.zeros((n, len(CASE))), mark=mark)]

    f = label_head.figures(Model(), [doc], seen={"putin"})
    assert (f["starts"], f["unseen"]) == (3, 1)
    assert f["ap_seen"] == 1.0 and f["ap_unseen"] == 0.5
    assert f["r_unseen@0.5"] == 0.0 and f["r_seen@0.5"] == 1.0 and f["p@0.5"] == 2 / 3
    assert f["sent_f1@0.4"] == 1.0
