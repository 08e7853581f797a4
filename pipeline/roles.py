"""Roles of the speakers the speaker book does not know, from the document itself.

The roster in ``configs/speakers.yaml`` is optional, so most speakers of an unseen
transcript arrive with the role ``unknown``. What the document says about them settles
most of them, in this order (the first that holds wins):

* ``introduction`` -> journalist: a turn of theirs names their outlet or a journalist's
  name (``my name is ilya petrenko rt tv channel``, ``goes to jeff mason from reuters``);
* ``title`` -> official: the speech of the document puts an office title right before
  their name, or before a first name and their name (``president trump``, ``secretary
  antony blinken``, ``governor alexei dyumin``);
* ``addressed`` -> official: the turns around theirs address someone by office (``mr
  president``, ``madam secretary``, ``your excellency``) in their first or last
  ``vocative_window`` words, at least twice and at least half as often as the most
  addressed speaker of the document;
* ``moderation`` -> moderator: their turns run the floor (``your response``, ``two
  minutes``, ``let s move on``) at least ``min_moderator_cues`` times;
* ``questions`` -> journalist: at least ``asking_share`` of their turns (two or more) ask
  a question, and an official of the document (from the book or the evidence above) says
  more than they do (an interviewer);
* ``principal`` -> official: no speaker is an official yet, and they say the most words of
  the document, at least ``principal_share`` of all that the labelled speakers say, over
  two or more turns (a briefing by a press secretary missing from the roster).

The lists live in the ``roles`` section of ``configs/speakers.yaml``. Pure functions of
words and counts: the turns component gathers the counts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from .phrases import Phrase, PhraseIndex, by_first, match_at

REASONS = ("book", "position", "introduction", "title", "addressed", "moderation", "questions",
           "principal")


@dataclass
class RoleCues:
    office_titles: List[Phrase] = field(default_factory=list)
    moderator_phrases: List[Phrase] = field(default_factory=list)
    vocatives: List[Phrase] = field(default_factory=list)
    vocative_window: int = 12
    # words that cannot stand between a title and a name (`president and trump`)
    not_first_names: frozenset = frozenset()
    min_moderator_cues: int = 2
    asking_share: float = 0.5
    principal_share: float = 0.4
    # the phrase lists indexed by first word, built once (:func:`pipeline.phrases.by_first`)
    office_index: PhraseIndex = field(init=False, repr=False)
    moderator_index: PhraseIndex = field(init=False, repr=False)
    vocative_index: PhraseIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.office_index = by_first(dict.fromkeys(self.office_titles))
        self.moderator_index = by_first(dict.fromkeys(self.moderator_phrases))
        self.vocative_index = by_first(dict.fromkeys(self.vocatives))

    @classmethod
    def from_dict(cls, data: dict, function_words: Iterable[str] = ()) -> "RoleCues":
        def phrases(key):
            return [tuple(str(p).lower().split()) for p in data.get(key) or []]

        return cls(office_titles=phrases("office_titles"),
                   moderator_phrases=phrases("moderator_phrases"),
                   vocatives=phrases("vocatives"),
                   vocative_window=int(data.get("vocative_window", 12)),
                   not_first_names=frozenset({str(w).lower() for w in
                                              data.get("not_first_names") or []}
                                             | {w.lower() for w in function_words}),
                   min_moderator_cues=int(data.get("min_moderator_cues", 2)),
                   asking_share=float(data.get("asking_share", 0.5)),
                   principal_share=float(data.get("principal_share", 0.4)))


@dataclass
class SpeakerStats:
    """What the document says of one speaker, summed over their turns."""
    turns: int = 0
    words: int = 0
    asking: int = 0  # turns with a question
    moderator_cues: int = 0
    addressed: int = 0  # vocatives by office in the turns next to theirs
    introduced: bool = False  # a journalist's name or outlet on one of their turns
    known: bool = False  # the speaker book gives the role: counted, never re-assigned
    official: bool = False  # the book's role is official


def count_phrases(words: Sequence[str], index: PhraseIndex) -> int:
    """At how many words of ``words`` a phrase of ``index`` starts."""
    if not index:
        return 0
    return sum(1 for k in range(len(words)) if match_at(words, k, index))


def titled_names(words: Sequence[str], speech: Sequence[bool], names: Iterable[str],
                 cues: RoleCues) -> Set[str]:
    """The ``names`` that a word of speech right after an office title spells out (one
    first name may stand between: ``secretary antony blinken``)."""
    ends = set()
    for k, w in enumerate(words):
        for t, _ in cues.office_index.get(w, ()):
            if tuple(words[k:k + len(t)]) == t and all(speech[k:k + len(t)]):
                ends.add(k + len(t))
    out = set()
    ends.discard(len(words))  # a title as the last word names no one
    for name in names:
        phrase = tuple(name.split())
        for k in ends:
            for j in (k, k + 1):
                if j > k and (words[k] in cues.not_first_names or not speech[k]):
                    continue
                if tuple(words[j:j + len(phrase)]) == phrase and all(speech[j:j + len(phrase)]):
                    out.add(name)
    return out


def infer_roles(stats: Dict[str, SpeakerStats], titled: Set[str], cues: RoleCues
                ) -> Dict[str, Tuple[str, str]]:
    """``speaker -> (role, reason)`` for the speakers of ``stats`` the book does not know
    (``known`` false) that the evidence settles. ``stats`` holds every labelled speaker of
    the document."""
    out: Dict[str, Tuple[str, str]] = {}
    total = sum(s.words for s in stats.values())
    most_addressed = max((s.addressed for s in stats.values()), default=0)
    for speaker, s in stats.items():
        if s.known:
            continue
        if s.introduced:
            out[speaker] = ("journalist", "introduction")
        elif speaker in titled:
            out[speaker] = ("official", "title")
        elif s.addressed >= 2 and 2 * s.addressed >= most_addressed:
            out[speaker] = ("official", "addressed")
        elif s.moderator_cues >= cues.min_moderator_cues:
            out[speaker] = ("moderator", "moderation")
    officials = {k for k, s in stats.items() if s.official} | {
        k for k, (r, _) in out.items() if r == "official"}
    for speaker, s in stats.items():
        if (not s.known and speaker not in out and s.turns >= 2
                and s.asking >= cues.asking_share * s.turns
                and any(stats[o].words > s.words for o in officials)):
            out[speaker] = ("journalist", "questions")
    if officials or not total:
        return out
    most = max(s.words for s in stats.values())
    top = [k for k, s in stats.items() if s.words == most]
    if (len(top) == 1 and top[0] not in out and not stats[top[0]].known
            and stats[top[0]].turns >= 2 and most >= cues.principal_share * total):
        out[top[0]] = ("official", "principal")
    return out
