"""End to end on a transcript no model or rule was built from: a governor's debate written
for these tests (`tests/data/debate.jsonl`, punctuated and speaker-labelled; the seed-like
form beside it was made with `../shared/tools/make_seedlike.py`). Its moderator and
candidates are in no roster, its turns are short and interrupted, and the moderator
addresses the candidates by title (`mayor marbury`, `senator hollis`)."""
import json

from pipeline.evaluate import Scorer, records
from pipeline.tables import Source, doc_rows

from conftest import DATA


def test_a_debate_with_unknown_speakers(nlp):
    gold = json.loads((DATA / "debate.seedlike.jsonl").read_text(encoding="utf-8"))
    cols = doc_rows(nlp(gold["seedlike"]), Source("debate", "debate.txt"), "test").cols
    turns = records(cols["turns"])
    scorer = Scorer()
    scorer.add(gold, turns, records(cols["sentences"]))
    figures = scorer.figures()
    assert figures["turn_f1"] >= 0.95 and figures["word_attribution"] >= 0.95, figures
    speakers = {t["speaker"] for t in turns}
    assert speakers == {"kessler", "hollis", "marbury"}
    # `health care mayor marbury this one is for you`: the moderator's question stays hers
    for t in turns:
        if t["speaker"] == "marbury":
            assert not t["text"].startswith(("your response", "this one is for you",
                                             "you won the coin toss")), t["text"]
    assert {t["role"] for t in turns if t["speaker"] == "kessler"} == {"moderator"}
