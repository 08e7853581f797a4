"""Roles from the document itself, for speakers the roster does not know."""
import pytest

from pipeline.roles import (REASONS, RoleCues, SpeakerStats, count_phrases, infer_roles,
                           titled_names)
from pipeline.tokenizer import is_word
from pipeline.turns import SpeakerBook, TurnSegmenter

CUES = RoleCues.from_dict({
    "office_titles": ["president", "prime minister", "secretary"],
    "moderator_phrases": ["your response", "two minutes", "move on to"],
    "vocatives": ["mr president"], "not_first_names": ["said"],
}, function_words=["and", "the"])


def test_titles_name_people_with_or_without_a_first_name():
    words = "as prime minister kovacs said and secretary antony blinken agreed president".split()
    speech = [True] * len(words)
    assert titled_names(words, speech, ["kovacs", "blinken", "agreed"], CUES) == {"kovacs", "blinken"}
    # a word between that is no first name, or a name inside a label, does not count
    words = "the president said kovacs and president kovacs".split()
    assert titled_names(words, [True] * 6 + [False], ["kovacs"], CUES) == set()
    # a title as the very last word names no one
    assert titled_names(["president"], [True], ["kovacs"], CUES) == set()


def test_count_phrases():
    assert count_phrases("your response two minutes your response".split(),
                         CUES.moderator_index) == 3
    assert count_phrases([], CUES.moderator_index) == 0


def test_evidence_order_and_the_principal():
    stats = {
        "putin": SpeakerStats(turns=5, words=900, known=True, official=True),
        "petrenko": SpeakerStats(turns=1, words=40, asking=1, introduced=True),
        "kovacs": SpeakerStats(turns=2, words=300, asking=2),  # titled beats asking
        "muir": SpeakerStats(turns=4, words=120, asking=3, moderator_cues=3),
        "stahl": SpeakerStats(turns=4, words=100, asking=2),
        "lee": SpeakerStats(turns=3, words=50, asking=1),
        "fadeyev": SpeakerStats(turns=2, words=500, addressed=3),
    }
    got = infer_roles(stats, {"kovacs"}, CUES)
    assert got == {"petrenko": ("journalist", "introduction"), "kovacs": ("official", "title"),
                   "fadeyev": ("official", "addressed"), "muir": ("moderator", "moderation"),
                   "stahl": ("journalist", "questions")}
    # no official anywhere: the one who says most, over two turns or more, is the principal
    stats = {"zaidi": SpeakerStats(turns=3, words=800), "a": SpeakerStats(turns=2, words=100,
                                                                          asking=2)}
    assert infer_roles(stats, set(), CUES) == {"zaidi": ("official", "principal")}
    # asking alone makes no journalist when no official says more
    assert infer_roles({"a": SpeakerStats(turns=2, words=100, asking=2),
                        "b": SpeakerStats(turns=1, words=150)}, set(), CUES) == {}


def _doc(blank, text, labels):
    doc = blank(text)
    doc._.restore_mode = "restore"
    for k, t in enumerate(t for t in doc if is_word(t)):
        t._.label_start = 0.9 if k in labels else 0.01
        t.is_sent_start = k == 0 or k in labels
    return doc


@pytest.fixture(scope="module")
def seg(blank):
    return TurnSegmenter(blank, speakers_path="configs/speakers.yaml")


def test_debate_roles_without_a_roster_entry(blank, seg):
    """`muir` and `clinton` are in no roster: the moderator runs the floor, the document
    calls the other candidate `secretary clinton`; `remark` (a role for many people) stays."""
    text = ("muir welcome secretary clinton your response please trump we are doing great "
            "muir thank you we move on to the economy two minutes clinton well thank you david "
            "remark what about jobs trump jobs are great")
    ws = text.split()
    labels = {0, ws.index("trump"), ws.index("muir", 1), ws.index("clinton", ws.index("minutes")),
              ws.index("remark"), ws.index("trump", ws.index("remark"))}
    doc = seg(_doc(blank, text, labels))
    got = {s._.turn["speaker"]: (s._.turn["role"], s._.turn["role_source"])
           for s in doc.spans["turns"]}
    assert got == {"muir": ("moderator", "moderation"), "trump": ("official", "book"),
                   "clinton": ("official", "title"), "remark": ("unknown", "")}
    assert {src for _, src in got.values()} <= set(REASONS) | {""}


def test_the_book_reads_role_cues():
    book = SpeakerBook.from_file("configs/speakers.yaml")
    assert ("vice", "president") in book.roles.office_titles
    assert ("mr", "president") in book.roles.vocatives
    assert book.roles.min_moderator_cues >= 1 and 0 < book.roles.asking_share <= 1
