"""``transcript_turns``: speaker turns, speaker tags and stage notes.

Labels are found from context and from the document itself, not from a fixed
list: the restorer's label head proposes label starts; a name proposed with
confidence becomes part of the document's label lexicon, and every further
occurrence of a lexicon name at a plausible label position is accepted at a
lower threshold (a word that opens many turns is a label). A roster in
``configs/speakers.yaml`` adds display names and roles, never required.
On punctuated text, labels are ``NAME:`` at the start of a line.

Assigns ``doc.spans["turns"]`` (each turn from its label to the end of its
speech; they tile the document's words), ``span._.turn`` (speaker metadata and
``speech_start``, the first token after the label), ``doc.spans["speaker_labels"]``
and ``doc.spans["annotations"]`` (stage notes, repeated labels).
"""
from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from .errors import PipelineError
from .journalists import Press, handoff, introduction
from .label_verifier import (PERSONAL_TITLES, Candidate, Context, Verifier, decide, features,
                             read_verifier)
from .phrases import PhraseIndex, by_first, ends_before, match_at, positions
from .resources import load_yaml, resolve, word_set
from .roles import RoleCues, SpeakerStats, count_phrases, infer_roles, titled_names
from .restoring import token_values
from .tokenizer import is_word, set_sent_starts

if not Span.has_extension("turn"):
    Span.set_extension("turn", default=None)

TURNS, LABELS, NOTES = "turns", "speaker_labels", "annotations"
REPEATED_LABEL = "repeated_label"  # the NOTES label of a speaker's label inside their turn
# a long input is processed in chunks (pipeline.chunking): doc.user_data[CHUNK_KEY] is
# (index, count); speech before the first label of a later chunk belongs to the turn that
# the chunk before ended in, and is marked CONTINUED for the merge
CHUNK_KEY = "transcript_chunk"


def _opens_text(doc: Doc) -> bool:
    """Whether ``doc`` starts its text: not a later chunk of a long input."""
    return doc.user_data.get(CHUNK_KEY, (0, 1))[0] == 0


# titles when speakers.yaml lists none: a name after one is speech, however sure the label head
# is (`for president putin`)
TITLES = frozenset({"president", "mr", "mrs", "ms", "dr", "mister", "madam", "senator", "secretary",
                    "minister", "governor", "general", "chancellor", "ambassador"})
CONTINUED = "continued"


def non_speech_tokens(doc: Doc) -> set:
    """Indices of tokens that are not speech: speaker labels and stage notes."""
    out = set()
    for group in (LABELS, NOTES):
        for s in doc.spans.get(group, []):
            out.update(range(s.start, s.end))
    return out


@dataclass
class SpeakerBook:
    """Roster, generic labels, qualifiers, stage notes and footer cues (speakers.yaml)."""
    roster: Dict[str, dict] = field(default_factory=dict)
    generic: Dict[str, dict] = field(default_factory=dict)
    qualifiers: Dict[Tuple[str, ...], str] = field(default_factory=dict)
    stage_notes: Dict[Tuple[str, ...], str] = field(default_factory=dict)
    footer_cues: List[Tuple[str, ...]] = field(default_factory=list)
    # words before a thing, not a person (`the eaeu`)
    determiners: set = field(default_factory=set)
    # words that join a name to the rest of its sentence (`putin and hamas`): a name of one
    # label before one is speech
    conjunctions: set = field(default_factory=set)
    # a name's verbs as the subject of a sentence, and the words after one that open no subject
    # (`putin is getting`): no label there
    subject_verbs: set = field(default_factory=set)
    not_subject_words: set = field(default_factory=set)
    # verbs in the third person that no turn opens with: a name before one is its sentence's
    # subject (`putin wants to make a deal`), whatever word comes next
    lexical_verbs: set = field(default_factory=set)
    # words after a name that speak to or of its bearer (`you`, `came`): said in a turn the
    # name labels, the name is someone addressed, not the speaker (`ferrante you have`)
    spoken_of_words: set = field(default_factory=set)
    # words before a name that make it their object (`even for lindgren`, `stand up kowalczyk`)
    spoken_of_before: set = field(default_factory=set)
    clitics: set = field(default_factory=set)  # a name before one goes on (`putin s war`)
    # words between the capitalised words of a guest's title and name (`president of turkey`)
    name_particles: set = field(default_factory=set)
    never_before_label: set = field(default_factory=set)  # a name after one is their object
    honorifics: set = field(default_factory=set)
    function_words: set = field(default_factory=set)
    # words before a name that make it speech, however sure the label head is (`for president
    # putin`), unless the restorer ends a sentence after the title; also in not_before_label
    titles: frozenset = TITLES
    not_before_label: set = field(default_factory=set)
    not_before_weak_label: set = field(default_factory=set)
    # words after which a generic label is speech, whatever the restorer says (`next question`)
    not_before_generic_label: set = field(default_factory=set)
    # an article and up to ``noun_phrase_words`` modifiers before a generic label: speech;
    # so is a determiner and modifiers ending in an adjective of ``noun_phrase_adjectives``
    noun_phrase_articles: set = field(default_factory=set)
    noun_phrase_determiners: set = field(default_factory=set)
    noun_phrase_adjectives: set = field(default_factory=set)
    noun_phrase_words: int = 0
    # words after which `s` is `is`, `has` or `us`; after any other word it is a possessive,
    # and a generic label after it speech (`following up on peter s question`); empty: off
    not_possessive: set = field(default_factory=set)
    press: Press = field(default_factory=Press)
    roles: RoleCues = field(default_factory=RoleCues)
    # speakers whose labels each open a turn of their own, even after a label of the same
    # speaker: a role that stands for many people (`question ... question` is two reporters)
    separate: set = field(default_factory=set)
    # stage notes that end what was said before them (`crosstalk`, `laughter`): a label may
    # follow one even where the restorer sees no sentence end
    boundary_notes: set = field(default_factory=set)
    # words after which a name that addresses someone within ``greeting_window`` words is a
    # label (`welcome kerry mr president thank you`)
    greetings: List[Tuple[str, ...]] = field(default_factory=list)
    greeting_window: int = 0
    # how the chair hands over the floor (`afroz please`): a name right after is a label
    handoffs: List[Tuple[str, ...]] = field(default_factory=list)
    # how a first speaker opens (`good afternoon`, `hi everyone`): a name at the text's first
    # word before one of these, a vocative or a title is a label (`abe president putin i`)
    openings: List[Tuple[str, ...]] = field(default_factory=list)
    # how a speaker addresses the room or the host before speaking (`ladies and gentlemen`,
    # `colleagues`, `good afternoon`): a name right before one at a sentence end is a label
    addresses: List[Tuple[str, ...]] = field(default_factory=list)
    speech_openers: set = field(default_factory=set)  # words that open speech, no names
    question_verbs: set = field(default_factory=set)  # speech openers that open a question
    # how a reporter announces a question (`my question is`, `thanks for doing this`)
    question_openings: List[Tuple[str, ...]] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: Path | str) -> "SpeakerBook":
        data = load_yaml(path)

        def items(key: str) -> list:
            value = data.get(key) or []
            if not isinstance(value, list):
                raise PipelineError("T114", f"{resolve(path)}: `{key}` must be a list of words "
                                    f"or phrases, not {type(value).__name__}")
            return value

        def words(key: str) -> Set[str]:
            return {str(w).lower() for w in items(key)}

        def phrases(key: str) -> List[Tuple[str, ...]]:
            return [tuple(str(p).lower().split()) for p in items(key)]

        book = cls()
        for key, entry in (data.get("roster") or {}).items():
            book.roster[" ".join(key.lower().split())] = dict(entry or {})
        for key, entry in (data.get("generic") or {}).items():
            book.generic[" ".join(key.lower().split())] = dict(entry or {})
        for key, entry in book.generic.items():
            if entry.get("merge_repeats") is False:
                book.separate.add(book.describe(key)["speaker"])
        for flag, entries in (data.get("qualifiers") or {}).items():
            for p in entries:
                book.qualifiers[tuple(str(p).lower().split())] = flag
        for kind, entries in (data.get("stage_notes") or {}).items():
            for p in entries:
                book.stage_notes[tuple(str(p).lower().split())] = kind
        book.boundary_notes = words("boundary_notes")
        book.footer_cues = phrases("footer_cues")
        book.honorifics = words("honorifics")
        book.function_words = words("function_words")
        book.determiners = words("determiners")
        book.conjunctions = words("conjunctions")
        book.subject_verbs = words("subject_verbs")
        book.not_subject_words = words("not_subject_words")
        book.lexical_verbs = words("lexical_verbs")
        book.spoken_of_words = words("spoken_of_words")
        book.spoken_of_before = words("spoken_of_before")
        book.clitics = words("clitics")
        book.name_particles = words("name_particles")
        book.never_before_label = words("never_before_label")
        book.greetings = phrases("greetings")
        book.greeting_window = int(data.get("greeting_window") or 0)
        book.handoffs = phrases("handoffs")
        book.openings = phrases("openings")
        book.addresses = phrases("addresses")
        book.question_openings = phrases("question_openings")
        if data.get("titles"):
            book.titles = frozenset(words("titles"))
        book.not_before_label = book.titles | words("not_before_label")
        book.press = Press.from_dict(data.get("journalists") or {}, book.function_words)
        book.roles = RoleCues.from_dict(data.get("roles") or {}, book.function_words)
        book.question_verbs = words("question_verbs")
        book.speech_openers = words("speech_openers") | book.question_verbs | {
            p[0] for p in book.openings + book.greetings + book.roles.vocatives}
        book.not_before_weak_label = book.not_before_label | words("not_before_weak_label")
        book.not_before_generic_label = words("not_before_generic_label")
        book.noun_phrase_articles = words("noun_phrase_articles")
        book.noun_phrase_determiners = words("noun_phrase_determiners") | book.noun_phrase_articles
        book.noun_phrase_adjectives = words("noun_phrase_adjectives")
        book.noun_phrase_words = int(data.get("noun_phrase_words") or 0)
        book.not_possessive = words("not_possessive")
        return book

    def describe(self, speaker: str) -> dict:
        """speaker (normalised), display name and role for a label's name words."""
        if speaker in self.generic:
            g = self.generic[speaker]
            speaker = g.get("speaker", speaker)
            return {"speaker": speaker, "name": g.get("name", speaker.title()),
                    "role": g.get("role", "unknown")}
        if speaker in self.roster:
            r = self.roster[speaker]
            return {"speaker": speaker, "name": r.get("name", speaker.title()),
                    "role": r.get("role", "unknown")}
        return {"speaker": speaker, "name": speaker.title(), "role": "unknown"}


@dataclass
class Label:
    start: int  # token index of the first label word
    end: int  # token index after the label (first speech token)
    name: str
    quals: Tuple[str, ...] = ()


# a label as the rules and the verifier pass it on: (first word, word after the label, name,
# qualifiers), word indices into the document's words
RuleLabel = Tuple[int, int, str, Tuple[str, ...]]


@dataclass
class Evidence:
    """One document's words (lowercased), the restorer's label-start, label-inside and
    sentence-end probabilities and casing per word, the rules' labels as (word, word after,
    name, qualifiers), the words that open a stage note, and the verifier's candidates with
    their feature rows."""
    ws: List[str]
    p_start: List[float]
    p_in: List[float]
    p_end: List[float]
    cased: List[bool]
    chosen: List[RuleLabel]
    notes: Set[int] = field(default_factory=set)
    cands: List[Candidate] = field(default_factory=list)
    X: Optional[np.ndarray] = None


def _with_prefixes(doc: Doc, labels: List[Label], words: List[int], prefix: Sequence[bool],
                   titles: Collection[str], articles: Collection[str]) -> List[Label]:
    """Labels read past the restorer's raw-label prefixes (`ms` of `ms jean pierre`,
    :mod:`pipeline.raw_labels`) start at the prefix; a label that runs into prefix words
    ends before them (they open the next label, or are speech). A title label keeps the
    prefix's other titles in its name: `the vice president` is `vice president`."""
    out = []
    for lab in labels:
        first = k = bisect.bisect_left(words, lab.start)
        while k and prefix[words[k - 1]]:
            k -= 1
        j = bisect.bisect_right(words, lab.start)
        end = lab.end
        while j < len(words) and words[j] < end:
            if prefix[words[j]]:
                end = words[j]
                break
            j += 1
        start = words[k] if k < len(words) else lab.start
        name = lab.name
        if name in titles:
            more = [doc[i].lower_ for i in words[k:first]]
            name = " ".join([w for w in more if w not in articles] + [name])
        out.append(Label(start, end, name, lab.quals))
    return out


def _prefixed_titles(doc: Doc, words: List[int], prefix: Sequence[bool],
                     titles: Collection[str]) -> FrozenSet[str]:
    """Titles right after a raw label's prefix (`president` of `the president`): labels,
    not a title said alone to someone (:meth:`TurnSegmenter._addressed_alone`)."""
    out = set()
    for a, b in zip(words, words[1:]):
        w = doc[b].lower_
        if prefix[a] and not prefix[b] and w in titles:
            out.add(w)
    return frozenset(out)


def _first_words(chosen: Sequence[RuleLabel], n: int, width: int):
    """Each label with the word indices that may hold its name again in its turn: from the
    second word after the label to ``width`` words after it, before the next label (of ``n``
    words in all)."""
    stops = [k for k, *_ in chosen[1:]] + [n]
    for label, stop in zip(chosen, stops):
        end = label[1]
        yield label, range(end + 1, min(stop, end + width))


GREETING_TAILS = ((), ("very", "much"), ("so", "much"))


def _greeting_only(words: Sequence[str], greetings: Sequence[Tuple[str, ...]]) -> bool:
    """Whether ``words`` are one greeting of ``greetings`` and nothing else but `very much`
    or `so much` (`thank you`, `thanks so much`)."""
    return any(tuple(words[:len(g)]) == g and tuple(words[len(g):]) in GREETING_TAILS
               for g in greetings)


def _vouched(labels: Sequence[RuleLabel]) -> Set[str]:
    """The names that label a turn with a qualifier (`putin through translator`): speakers of
    the document, whatever else the rules say of their other labels."""
    return {name for *_, name, quals in labels if quals}


def _name_index(names) -> PhraseIndex:
    """Label names (space-separated words) for :func:`match_at`."""
    return by_first({tuple(n.split()): n for n in names})


def _model_file(path: str, knob: str, code: str) -> Optional[Path]:
    """The file a config knob names, resolved; ``None`` for ``""``; error ``code`` if missing."""
    if not path:
        return None
    f = resolve(path)
    if not f.exists():
        raise PipelineError(code, f"{knob} {f} does not exist; fix the path in the config "
                            "or set it to an empty string")
    return f


def _word_list(path: str, knob: str) -> FrozenSet[str]:
    """A JSON list of words from the models folder; ``""`` for none."""
    f = _model_file(path, knob, "T109")
    return word_set(f.resolve()) if f else frozenset()


def _modifiers(path: str) -> Tuple[frozenset, frozenset]:
    """The adjectives and adverbs of a ``modifiers_path`` file (:func:`pipeline.lexicons.
    modifiers`: ``{"adjectives": [...], "adverbs": [...]}``); ``""`` for none."""
    f = _model_file(path, "modifiers_path", "T109")
    if not f:
        return frozenset(), frozenset()
    data = json.loads(f.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
            isinstance(data.get(key), list) for key in ("adjectives", "adverbs")):
        raise PipelineError("T109", f"modifiers_path {f} must hold lists `adjectives` and "
                            "`adverbs` (python -m pipeline.lexicons modifiers)")
    return frozenset(data["adjectives"]), frozenset(data["adverbs"])


def _discount(lexicon: Counter, name: str) -> None:
    """One label fewer of ``name`` in ``lexicon``; a name that labels nothing any more is
    removed, so that it is no known name of the document."""
    lexicon[name] -= 1
    if lexicon[name] <= 0:
        del lexicon[name]


class TurnSegmenter:
    def __init__(self, nlp: Language, name: str = "transcript_turns", *, speakers_path: str,
                 label_threshold: float = 0.75, lexicon_threshold: float = 0.05,
                 qualifier_threshold: float = 0.02, lexicon_boundary: float = 0.3,
                 label_dominance: float = 0.5, max_label_words: int = 4,
                 footer_window: int = 150, non_openers_path: str = "",
                 label_certain: float = 0.75, title_boundary: float = 0.5,
                 verifier_path: str = "", candidate_floor: float = 0.05,
                 common_words_path: str = "", merge_repeats: bool = True,
                 repeat_label_floor: float = 0.3, doubled_name_floor: float = 0.2,
                 max_question_words: int = 300, unasked_question_words: int = 120,
                 role_labelled_share: float = 0.2, role_labelled_min: int = 3,
                 name_tail_floor: float = 0.1, first_names_path: str = "",
                 unanswered_question_words: int = 70, min_label_share: float = 0.35,
                 thing_max_labels: int = 2, alternation_floor: float = 0.05,
                 greeted_label_floor: float = 0.2, self_intro_words: int = 10,
                 self_intro_floor: float = 0.05, self_address_words: int = 15,
                 address_label_floor: float = 0.2, address_boundary: float = 0.5,
                 titled_opening_boundary: float = 0.15, standalone_name_boundary: float = 0.1,
                 first_name_labels: int = 2, handoff_label_floor: float = 0.2,
                 sure_question_label: float = 0.96, titled_doubled_floor: float = 0.0,
                 modifiers_path: str = "", thanked_name_labels: int = 2,
                 spoken_to_max_labels: int = 8, spoken_to_words: int = 150,
                 called_on_words: int = 20, full_name_labels: int = 3,
                 full_name_boundary: float = 0.1, answered_label_floor: float = 0.97,
                 titled_label_words: int = 12):
        self.settings = {k: v for k, v in locals().items()
                         if k not in ("self", "nlp", "name", "speakers_path")}
        for knob, value in (("alternation_floor", alternation_floor),
                            ("greeted_label_floor", greeted_label_floor),
                            ("handoff_label_floor", handoff_label_floor),
                            ("address_label_floor", address_label_floor),
                            ("address_boundary", address_boundary),
                            ("titled_opening_boundary", titled_opening_boundary),
                            ("standalone_name_boundary", standalone_name_boundary),
                            ("full_name_boundary", full_name_boundary)):
            if not 0.0 <= value < 1.0:
                raise PipelineError("T113", f"{knob} must lie in [0, 1), not {value}")
        for knob, value in (("titled_doubled_floor", titled_doubled_floor),
                            ("answered_label_floor", answered_label_floor)):
            if not 0.0 <= value <= 1.01:  # 1.01: off
                raise PipelineError("T113", f"{knob} must lie in [0, 1.01], not {value}")
        if not 0.0 < sure_question_label <= 1.01:
            raise PipelineError("T113", "sure_question_label must lie in (0, 1.01], not "
                                f"{sure_question_label}")
        for knob, count in (("thing_max_labels", thing_max_labels),
                            ("self_intro_words", self_intro_words),
                            ("self_address_words", self_address_words),
                            ("first_name_labels", first_name_labels),
                            ("thanked_name_labels", thanked_name_labels),
                            ("spoken_to_max_labels", spoken_to_max_labels),
                            ("spoken_to_words", spoken_to_words),
                            ("called_on_words", called_on_words),
                            ("full_name_labels", full_name_labels),
                            ("titled_label_words", titled_label_words)):
            if count < 0:
                raise PipelineError("T113", f"{knob} must be 0 (off) or more, not {count}")
        self.name = name
        self.certain = label_certain
        self.title_boundary = title_boundary
        self.speakers_path = speakers_path
        self.book = SpeakerBook.from_file(speakers_path)
        self.label_threshold = label_threshold
        self.lexicon_threshold = lexicon_threshold
        self.qualifier_threshold = qualifier_threshold
        self.lexicon_boundary = lexicon_boundary
        self.label_dominance = label_dominance
        self.non_openers_path = non_openers_path
        self.non_openers = _word_list(non_openers_path, "non_openers_path")
        self.common_words_path = common_words_path
        self.common_words = _word_list(common_words_path, "common_words_path")
        self.first_names_path = first_names_path
        self.first_names = _word_list(first_names_path, "first_names_path")
        self.modifiers_path = modifiers_path
        self.adjectives, self.adverbs = _modifiers(modifiers_path)
        self.max_label_words = max_label_words
        self.merge_repeats = merge_repeats
        self.repeat_label_floor = repeat_label_floor
        self.doubled_name_floor = doubled_name_floor
        self.titled_doubled_floor = titled_doubled_floor
        self.max_question_words = max_question_words
        self.unasked_question_words = unasked_question_words
        self.unanswered_question_words = unanswered_question_words
        self.min_label_share = min_label_share
        self.thing_max_labels = thing_max_labels
        self.alternation_floor = alternation_floor
        self.greeted_label_floor = greeted_label_floor
        self.handoff_label_floor = handoff_label_floor
        self.sure_question_label = sure_question_label
        self.address_label_floor = address_label_floor
        self.address_boundary = address_boundary
        self.titled_opening_boundary = titled_opening_boundary
        self.standalone_name_boundary = standalone_name_boundary
        self.self_intro_words = self_intro_words
        self.self_intro_floor = self_intro_floor
        self.full_name_labels = full_name_labels
        self.full_name_boundary = full_name_boundary
        self.answered_label_floor = answered_label_floor
        self.titled_label_words = titled_label_words
        self.self_address_words = self_address_words
        self.first_name_labels = first_name_labels
        self.thanked_name_labels = thanked_name_labels
        self.spoken_to_max_labels = spoken_to_max_labels
        self.spoken_to_words = spoken_to_words
        self.called_on_words = called_on_words
        self.role_labelled_share = role_labelled_share
        self.role_labelled_min = role_labelled_min
        self.name_tail_floor = name_tail_floor
        self.candidate_floor = candidate_floor
        self.verifier_path = verifier_path
        f = _model_file(verifier_path, "verifier_path", "T112")
        self.verifier: Optional[Verifier] = read_verifier(f) if f else None
        # names the speaker book knows: the roster's people and the generic labels (roles)
        self._book_names = frozenset(self.book.roster) | frozenset(self.book.generic)
        self._floor_givers = list(self.book.greetings) + list(self.book.handoffs)
        self._roles_index = _name_index(self.book.generic)
        self._context = Context(set(self.book.titles), self.book.not_before_label,
                                self.book.not_before_weak_label, self.non_openers,
                                set(self.book.roster), set(self.book.generic))
        self.footer_window = footer_window
        self._quals_sorted = by_first(self.book.qualifiers)
        self._notes_sorted = by_first(self.book.stage_notes)
        # qualifiers and stage notes of two words or more, by their last word (`off mike`)
        self._phrase_ends: Dict[str, List[Tuple[str, ...]]] = {}
        for phrase in (*self.book.qualifiers, *self.book.stage_notes):
            if len(phrase) > 1:
                self._phrase_ends.setdefault(phrase[-1], []).append(phrase)
        self._address_index = by_first(dict.fromkeys(
            [v for v in self.book.roles.vocatives if len(v) > 1] + self.book.addresses))
        self._answer_openers = frozenset(self.book.speech_openers - self.book.question_verbs)
        self._opening_index = by_first(dict.fromkeys(self.book.openings
                                                     + self.book.roles.vocatives))
        # how one called on answers (`thank you sir`, `mr president`): :meth:`_called_on`
        self._answer_index = by_first(dict.fromkeys(self.book.greetings
                                                    + self.book.roles.vocatives))
        # how a reporter opens a question: an address (`good afternoon mr president`), a
        # self-introduction (`my name is`, `i m from`) or a question announced (`my question
        # is`, `thanks for doing this`)
        press, roles = self.book.press, self.book.roles
        self._asker_openings = by_first(dict.fromkeys(
            roles.vocatives + press.intro_cues + press.outlet_intro_cues
            + self.book.question_openings))

    def _note_starts(self, ws: List[str]) -> Set[int]:
        """Words that open a stage note (`applause`, `laughter and applause`): no label starts
        there, however often the note opens a paragraph (a speech read to applause)."""
        return {k for k in range(len(ws)) if match_at(ws, k, self._notes_sorted)}

    def _no_label_starts(self, ws: List[str], notes: Set[int]) -> Set[int]:
        """Words where no label starts: the starts of stage notes (``notes``,
        :meth:`_note_starts`) and the words of a qualifier (`duda through translator ladies
        and gentlemen`: `translator` is how Duda speaks, not a speaker)."""
        out = set(notes)
        for k in range(len(ws)):
            hit = match_at(ws, k, self._quals_sorted)
            if hit:
                out.update(range(k, k + len(hit[0])))
        return out

    # -- label detection -----------------------------------------------------
    def _qualify(self, ws: List[str], k: int, j: int) -> Tuple[int, str, Tuple[str, ...]]:
        """Split label words [k, j) into name and qualifiers; extend j over trailing ones."""
        name_end = j
        for m in range(k + 1, j):
            if match_at(ws, m, self._quals_sorted):
                name_end = m
                break
        quals = []
        m = name_end
        while m < len(ws):
            hit = match_at(ws, m, self._quals_sorted)
            if not hit:
                break
            quals.append(hit[1])
            m += len(hit[0])
        return max(m, name_end), " ".join(ws[k:name_end]), tuple(quals)

    def _scores(self, doc: Doc, words: List[int]):
        """Words (lowercased) and the restorer's label-start, label-inside and sentence-end
        probabilities, one per word."""
        ws = [doc[i].lower_ for i in words]
        values = [token_values(doc, a) for a in ("label_start", "label_inside", "sent_end")]
        return (ws,) + tuple([v[i] for i in words] for v in values)

    @staticmethod
    def _cased(doc: Doc, words: List[int]) -> List[bool]:
        """Per word, whether the restorer writes it capitalised (`Teresa`)."""
        restored = token_values(doc, "restored")
        return [bool(restored[i]) and restored[i][:1].isupper() for i in words]

    def _label_words_end(self, ws: List[str], p_in: List[float], k: int) -> int:
        """The word after a label starting at k: the label head's inside words, at most
        ``max_label_words`` in all, or a longer role of the speaker book that starts with
        them (`senior administration official` where the head stops at `administration`)."""
        j = k + 1
        while j < len(ws) and j - k < self.max_label_words and p_in[j] >= 0.5:
            j += 1
        role = match_at(ws, k, self._roles_index)
        return max(j, k + len(role[0])) if role else j

    def _known_names(self, names) -> PhraseIndex:
        """Index of the document's label names and the generic labels (`question`). Not the
        roster: a principal named in the speech of others (`i think putin probably is
        involved`) is no label because the roster knows the name; the roster's people are
        found by the label head and the document's lexicon like anyone else (train-b
        attribution 0.9045 -> 0.9070 with the roster left out here, tune unchanged)."""
        return _name_index(set(names) | set(self.book.generic))

    def _note_boundaries(self, ws: List[str], p_end: List[float]) -> List[float]:
        """Sentence-end probabilities with the last word of each boundary note raised to 1
        (`... not the facts trump crosstalk clinton i have a feeling`)."""
        out = list(p_end)
        for k in range(len(ws)):
            hit = match_at(ws, k, self._notes_sorted)
            if hit and hit[1] in self.book.boundary_notes:
                out[k + len(hit[0]) - 1] = 1.0
        return out

    def evidence(self, doc: Doc, words: List[int], *, candidates: bool = True,
                 prefixed: FrozenSet[str] = frozenset()) -> Evidence:
        """The restorer's scores for ``words``, the rules' labels and (with ``candidates``)
        the verifier's candidates and their features: one place for both the pipeline and
        the verifier's training (:func:`pipeline.train_verifier.build`), so that the fit
        sees what the pipeline sees. ``prefixed``: titles that label turns (`the president`
        of a transcript whose labels are written raw, :func:`_prefixed_titles`)."""
        ws, p_start, p_in, p_end = self._scores(doc, words)
        if self.book.boundary_notes:
            p_end = self._note_boundaries(ws, p_end)
        cased = self._cased(doc, words)
        notes = self._note_starts(ws)
        blocked = self._no_label_starts(ws, notes)
        chosen = self._rule_labels(ws, p_start, p_in, p_end, blocked, cased, prefixed)
        if _opens_text(doc):
            chosen = self._opening_label(chosen, ws)
        ev = Evidence(ws, p_start, p_in, p_end, cased, chosen, notes)
        if candidates:
            ev.cands = self.candidates(ws, p_start, p_in, p_end, chosen, blocked)
            ev.X = features(ws, p_start, p_in, p_end, ev.cands, self._context)
        return ev

    def _labels_unpunctuated(self, doc: Doc, words: List[int],
                             prefixed: FrozenSet[str] = frozenset()) -> List[Label]:
        ev = self.evidence(doc, words, candidates=self.verifier is not None, prefixed=prefixed)
        ws, chosen, cased = ev.ws, ev.chosen, ev.cased
        opens_text = _opens_text(doc)
        titled = self._titled_names(ws, cased, ev.p_end)
        said = self._names_in_speech(ws, chosen, opens_text, titled, ev.p_start,
                                     self._self_introduced(chosen, ws, cased, listed=True))
        if self.verifier is not None:
            cands = ev.cands
            probs = self.verifier.added(ev.X)
            # text before the rules' first label is a narrator's intro that names the
            # principals (`trump said however`, `putin publicly denied`): nothing is added there
            first = chosen[0][0] if chosen else len(ws)  # the rules' labels, left to right
            names = {w for *_, name, _ in chosen for w in name.split()}
            vouched = _vouched(chosen) | prefixed
            labels = Counter(name for *_, name, _ in chosen)

            def allowed(c: Candidate) -> bool:
                """The rules' labels stay unless they are names said in speech; the verifier
                adds none in the intro, right after a title or a title and a first name
                (`tell president putin would you denounce`, `tonight we have governor teresa
                alvarado with us`), as a generic label after `next` (`next question`), or
                as a lone first name or title without a qualifier (`thanks ian`)."""
                if c.rule:
                    return c.k not in said
                if not c.quals and self._addressed_alone(c.name, vouched):
                    return False
                return c.k == 0 or (c.k > first and not self._after_title(ws, c.k, names, cased,
                                                                  c.name, labels[c.name])
                                    and not self._generic_after_veto(ws, c.k, c.name)
                                    and not self._full_name_said(ws, c.k, c.end, c.name, names,
                                                                    cased))

            probs = [p if allowed(c) else 0.0 for c, p in zip(cands, probs)]
            threshold = self.verifier.threshold
            chosen = [(c.k, c.end, c.name, c.quals) for c in decide(cands, probs, threshold)]
            chosen = self._alternate(chosen, cands, probs, ws, cased)
        else:
            chosen = [c for c in chosen if c[0] not in said]
        chosen = self._greeted(chosen, ws, said, cased, ev.p_start, ev.notes)
        before = set(chosen)
        chosen = self._handed_over(chosen, ws, said, cased, ev.p_start, ev.notes)
        added = {name for *_, name, _ in set(chosen) - before}  # found by the handoff alone
        # given the floor by the chair: a label right after a handoff, the rules' too, is a
        # speaker's however often the others name them (`so liz the floor is yours sherwood`);
        # _spoken_to and _called_on, which read a name's own turns, spare only the names the
        # handoff alone found (`tatyana dyakonova please dyakonova thank you`: the first is
        # the call)
        handed = {name for k, _, name, _ in chosen if ends_before(ws, k, self.book.handoffs)}
        chosen = self._addressing(chosen, ws, said, cased, ev.p_start, ev.p_end, ev.notes)
        untitled = set(chosen)
        chosen = self._titled_opening(chosen, ws, said, cased, ev.p_start, ev.p_end, ev.notes,
                                      titled)
        chosen = self._standalone_names(chosen, ws, said, cased, ev.p_start, ev.p_end, ev.notes,
                                        titled)
        # a principal who opens a turn after a sentence end is a speaker however often the
        # others name them (`emomali rahmon and i discussed`), as one handed the floor
        handed |= {name for *_, name, _ in set(chosen) - untitled}
        introduced = self._self_introduced(chosen, ws, cased)
        chosen = self._self_addressed(chosen, ws, opens_text, introduced, cased, ev.p_end)
        chosen = self._speakers_first_names(chosen, ws, cased, introduced)
        chosen = self._thanked_names(chosen, ws, introduced)
        chosen = self._spoken_to(chosen, ws, cased, opens_text, introduced | added)
        chosen = self._mid_sentence(chosen, ws, cased, introduced)
        chosen = self._rare_labels(chosen, ws, opens_text, introduced | handed, cased)
        chosen = self._things(chosen, ws, introduced | handed)
        chosen = self._conjoined(chosen, ws, introduced | handed)
        chosen = self._called_on(chosen, ws, cased, opens_text, introduced | added)
        chosen = self._name_tails(chosen, ws, ev.p_in, ev.notes)
        chosen = self._drop_long_questions(chosen, ws, self._asks(doc, words), ev.p_start)
        chosen = self._last_repeats(chosen, ws)
        return [Label(words[k], words[end] if end < len(words) else len(doc), name, quals)
                for k, end, name, quals in chosen]

    def _alternate(self, chosen: List[RuleLabel], cands: List[Candidate],
                   probs: Sequence[float], ws: List[str],
                   cased: Sequence[bool]) -> List[RuleLabel]:
        """Between two consecutive labels of one speaker, the candidate of another name that
        the verifier scores highest becomes a label where it scores ``alternation_floor`` at
        least (below the verifier's threshold): turns alternate, so a speaker who follows
        themself has most likely answered someone whose label was missed (`putin we will hold
        it later razvozhayev of course we will but ... putin`). Not between labels of a
        generic name or of a speaker book's ``separate`` role (`question` after `question` is
        another reporter), not for a candidate right after a label or running into the next
        one (a turn without speech), nor after a word the restorer capitalises that is no
        title (`the united states donald trump took place`: a full name said in speech), nor
        a common word that labels no other turn (`how will the new leaders behave of
        course`: a one-off label made of one is speech, as in the rules).
        ``probs`` are the verifier's, zero where a candidate is not allowed."""
        if not self.alternation_floor or len(chosen) < 2:
            return chosen
        titles = self.book.titles
        names = {name for *_, name, _ in chosen}
        at = [c.k for c in cands]  # candidates come left to right: [lo, hi) lie between
        added = []
        for (_, a_end, name, _), (b_start, _, b_name, _) in zip(chosen, chosen[1:]):
            if b_name != name or not self._alternates(name):
                continue
            best, best_p = None, self.alternation_floor
            lo, hi = bisect.bisect_right(at, a_end), bisect.bisect_left(at, b_start)
            for c, p in zip(cands[lo:hi], probs[lo:hi]):
                if (c.end < b_start and c.name != name and p >= best_p
                        and not (cased[c.k - 1] and ws[c.k - 1] not in titles)
                        and not (c.name not in names and self._common_word(c.name))):
                    best, best_p = c, p
            if best is not None:
                added.append((best.k, best.end, best.name, best.quals))
        return sorted(chosen + added) if added else chosen

    def _opening_label(self, chosen: List[RuleLabel], ws: List[str]) -> List[RuleLabel]:
        """The text's first word is the first speaker's label where the rules took none
        there and an opening of speakers.yaml follows it (`openings`: `hi everyone`, `good
        afternoon`), or a vocative or a title (`abe president putin i would like`, `yang hi
        everyone thank you all`): a transcript opens with its first speaker, while the label
        head may give a name it knows from speech nearly nothing there (`abe`: 0.002). Not a
        function word, title, stage note, common word, lone first name or word that opens
        speech (`speech_openers`, the first words of openings, greetings and vocatives: `yes
        mr president`, `hi thanks`): a narrator's intro (`president donald trump met`, `good
        evening`) opens with none."""
        if not ws or (chosen and chosen[0][0] == 0) or not self.book.openings:
            return chosen
        w = ws[0]
        if (len(w) < 2 or w in self.book.speech_openers or match_at(ws, 0, self._notes_sorted)
                or not self._name_word(w, set())):
            return chosen
        end, name, quals = self._qualify(ws, 0, 1)
        if (not name or end >= len(ws) or (chosen and chosen[0][0] < end)
                or not (ws[end] in self.book.titles
                        or match_at(ws, end, self._opening_index))):
            return chosen
        return [(0, end, name, quals)] + chosen

    def _context_labels(self, chosen: List[RuleLabel], ws: List[str], said: Set[int],
                        cased: Sequence[bool], p_start: Sequence[float], notes: Set[int],
                        floor: Optional[float], fits, uncased: bool = False,
                        in_role_turns: bool = False) -> List[RuleLabel]:
        """Labels the rules missed that their context gives away (:meth:`_greeted`,
        :meth:`_handed_over`, :meth:`_addressing`, :meth:`_titled_opening`): a one-word name
        after the first label that the restorer capitalises (any word with ``uncased``) and
        the label head scores ``floor`` at least, where ``fits(k, end, before)`` (k: the
        word, end: the word after its qualifiers, before: the label before it). Not a word
        that a label covers or that speech names (``said``), nor a function word, title,
        role, stage note, common word or lone first name, nor in a turn of a role (`question
        thank you symone madam vice president`: a reporter thanks the host) unless
        ``in_role_turns``. ``floor`` 0 adds none, None sets no floor."""
        if floor == 0 or not chosen:
            return chosen
        book = self.book
        covered = {i for k, end, *_ in chosen for i in range(k, end + 1)}
        vouched = _vouched(chosen)
        starts = [k for k, *_ in chosen]
        added = []
        for k in range(chosen[0][1] + 1, len(ws) - 1):
            w = ws[k]
            if ((not cased[k] and not uncased) or (floor is not None and p_start[k] < floor)
                    or k in covered
                    or k in said or k in notes or w in book.generic
                    or not self._name_word(w, vouched)):
                continue
            before = chosen[bisect.bisect_left(starts, k) - 1]
            if before[2] in book.generic and not in_role_turns:
                continue
            end, name, quals = self._qualify(ws, k, k + 1)
            if name and end not in covered and fits(k, end, before):
                added.append((k, end, name, quals))
                covered.update(range(k, end + 1))
        return sorted(chosen + added) if added else chosen

    def _greeted(self, chosen: List[RuleLabel], ws: List[str], said: Set[int],
                 cased: Sequence[bool], p_start: Sequence[float],
                 notes: Set[int]) -> List[RuleLabel]:
        """A one-word name right after a greeting of speakers.yaml (`welcome`, `thank you`)
        that addresses someone within ``greeting_window`` words after it (the `vocatives`:
        `welcome kerry mr president thank you`, `thank you zyuganov mr president i would
        like`) is the label of the one welcomed or thanked, who now speaks. The label head
        must give it ``greeted_label_floor`` at least (`thank you so much mr president`);
        the rest as :meth:`_context_labels`."""
        book = self.book
        if not book.greetings or not book.greeting_window:
            return chosen

        def fits(k: int, end: int, before: RuleLabel) -> bool:
            after = range(end, min(end + book.greeting_window, len(ws)))
            return (ends_before(ws, k, book.greetings)
                    and any(match_at(ws, j, book.roles.vocative_index) for j in after))

        return self._context_labels(chosen, ws, said, cased, p_start, notes,
                                    self.greeted_label_floor, fits)

    def _handed_over(self, chosen: List[RuleLabel], ws: List[str], said: Set[int],
                     cased: Sequence[bool], p_start: Sequence[float],
                     notes: Set[int]) -> List[RuleLabel]:
        """A one-word name right after a word or phrase by which the chair hands over the floor
        (``handoffs`` of speakers.yaml: `afroz please shah very good evening`, `mr mironov
        please duma mr president`) is the label of the one who now speaks, where the label
        head gives it ``handoff_label_floor`` at least. Capitalised or not, as
        :meth:`_addressing`; the rest as :meth:`_context_labels`. The chair says who speaks,
        so such a name is a speaker of the document however often the others name it
        (``min_label_share`` and ``thing_max_labels`` spare it, as a self-introduced one)."""
        handoffs = self.book.handoffs
        if not handoffs:
            return chosen

        def fits(k: int, end: int, before: RuleLabel) -> bool:
            return ends_before(ws, k, handoffs)

        return self._context_labels(chosen, ws, said, cased, p_start, notes,
                                    self.handoff_label_floor, fits, uncased=True)

    def _addressing(self, chosen: List[RuleLabel], ws: List[str], said: Set[int],
                    cased: Sequence[bool], p_start: Sequence[float], p_end: Sequence[float],
                    notes: Set[int]) -> List[RuleLabel]:
        """A one-word name where the restorer ends a sentence before it (``address_boundary``)
        and right before an address of speakers.yaml (`addresses`: `ladies and gentlemen`,
        `colleagues`; or a vocative of two words or more: `mr president`, `your excellency`)
        is the label of a speaker who opens by addressing the room or the host: `reduced
        fares dvorkovich mr president colleagues the entire`, `in the region vucic mr
        president my friend`. The label head must give it ``address_label_floor`` at least
        (0.1 took `defence order moreover mr president`); not a word that opens speech, nor
        one right after a title or another word of ``not_before_label``, nor in the
        self-introduction that opens the turn before it (`kharina good afternoon i am
        yekaterina kharina telemix tv channel ussuriysk mr president`: a journalist's outlet
        and town). The restorer writes 26% of the gold label starts that its label head
        scores 0.2 to 0.75 in lower case (names, train-a and train-b), so the word need not be
        capitalised here (`dvorkovich`, `mhuriro your excellency`); the rest as
        :meth:`_context_labels`."""
        book = self.book

        def fits(k: int, end: int, before: RuleLabel) -> bool:
            return (p_end[k - 1] >= self.address_boundary and ws[k] not in book.speech_openers
                    and ws[k - 1] not in book.not_before_label
                    and match_at(ws, end, self._address_index) is not None
                    and not self._introduces(ws, before[2], range(
                        before[1] + 1, min(k, before[1] + self.self_intro_words)), cased))

        return self._context_labels(chosen, ws, said, cased, p_start, notes,
                                    self.address_label_floor, fits, uncased=True)

    def _titled_opening(self, chosen: List[RuleLabel], ws: List[str], said: Set[int],
                        cased: Sequence[bool], p_start: Sequence[float],
                        p_end: Sequence[float], notes: Set[int],
                        titled: Set[str]) -> List[RuleLabel]:
        """A one-word name that the document titles elsewhere (``titled``, of
        :meth:`_titled_names`: `president ruto`, `chancellor merkel`), where the restorer
        ends a sentence before it (``titled_opening_boundary``) and an opening of
        speakers.yaml or a vocative follows (`thank you`, `ladies and gentlemen`, `mr
        president`), is the label of a principal
        the host has named, who now speaks, however unsure the label head
        (`the floor is yours sir ruto thank you mr president`: 0.015; a visiting head of
        state is a name the training text rarely has). Not right after a title or a first
        name (one of ``first_names_path``, or a word the restorer capitalises where it is
        unsure of a sentence end, below ``address_boundary``: `madam kamala harris thank
        you so much`), nor a word that opens speech; in a turn of a role too (`the kenyan
        forces ruto thank you very much`: a reporter's question answered); the rest as
        :meth:`_context_labels`."""
        if not self.titled_opening_boundary:
            return chosen
        book = self.book

        def fits(k: int, end: int, before: RuleLabel) -> bool:
            return (ws[k] in titled and p_end[k - 1] >= self.titled_opening_boundary
                    and ws[k] not in book.speech_openers and ws[k - 1] not in book.titles
                    and not self._first_name(ws[k - 1], set())
                    and not (p_end[k - 1] < self.address_boundary
                             and self._given_name_at(ws, k - 1, cased))
                    and match_at(ws, end, self._opening_index) is not None)

        return self._context_labels(chosen, ws, said, cased, p_start, notes, None, fits,
                                    uncased=True, in_role_turns=True)

    def _standalone_names(self, chosen: List[RuleLabel], ws: List[str], said: Set[int],
                          cased: Sequence[bool], p_start: Sequence[float],
                          p_end: Sequence[float], notes: Set[int],
                          titled: Set[str]) -> List[RuleLabel]:
        """A one-word name that the document names in full elsewhere (after a title,
        ``titled``, or after a listed first name the restorer capitalises: `addressing deputy
        prime minister dmitry kozak`) and that stands alone between two sentence ends of the
        restorer, ``lexicon_boundary`` before it and ``standalone_name_boundary`` after it,
        is the label of a guest the host has named, who now speaks, however unsure the
        label head (`let s hear about these plans kozak we have decided`: 0.03; a guest's
        surname is a word the training text rarely has). Not after a function word, title,
        listed first name or word of ``not_before_label`` (`siding with putin`, `special
        attorney mueller he can use`), nor a stop word of spaCy's English (`mr president
        what`), a word that opens speech, or a name before `and` or `or` (`michigan is down
        ohio and indiana are down`); in a turn of a role too; the rest as
        :meth:`_context_labels`. Of such words that the rules missed, 9 of 11 were gold
        labels in train-b (read by the restorer held out from it) and 5 of 11 in train-a
        (`except trump i m not going to`); 0 turns it off."""
        if not self.standalone_name_boundary:
            return chosen
        book = self.book
        named = set(titled) | {ws[j] for j in range(1, len(ws)) if cased[j]
                               and ws[j - 1] in self.first_names
                               and self._given_name_at(ws, j - 1, cased)}

        def fits(k: int, end: int, before: RuleLabel) -> bool:
            w, prev = ws[k], ws[k - 1]
            return (w in named and w not in STOP_WORDS and w not in book.speech_openers
                    and p_end[k - 1] >= self.lexicon_boundary
                    and p_end[end - 1] >= self.standalone_name_boundary
                    and prev not in book.titles and prev not in book.function_words
                    and prev not in book.not_before_label and not self._first_name(prev, set())
                    and (end >= len(ws) or (ws[end] not in ("and", "or")
                                            and ws[end] not in self.non_openers)))

        return self._context_labels(chosen, ws, said, cased, p_start, notes, None, fits,
                                    uncased=True, in_role_turns=True)

    def _introduces(self, ws: List[str], name: str, span: Iterable[int],
                    cased: Sequence[bool], listed: bool = False) -> bool:
        """Whether the words ``span`` of the turn of ``name`` introduce its speaker: the name's
        last word right after a word the restorer capitalises that can be a first name
        (`kharina good afternoon i am yekaterina kharina`); with ``listed``, one of
        ``first_names_path`` (not `yang thanks so much`, `no number two`)."""
        last = name.split()[-1]
        return any(ws[m] == last and ws[m - 1] != last and self._given_name_at(ws, m - 1, cased)
                   and (not listed or ws[m - 1] in self.first_names) for m in span)

    def _self_introduced(self, chosen: List[RuleLabel], ws: List[str],
                         cased: Sequence[bool], listed: bool = False) -> Set[str]:
        """The names of labels whose turn introduces its speaker within its first
        ``self_intro_words`` words (before the next label): the name's last word right after
        a word the restorer capitalises that is no title or function word, a first name
        (`kolesnikov good afternoon andrei kolesnikov kommersant newspaper`, `mansvetov mr
        president sergei mansvetov deputy chief technology officer`). Speakers of the
        document, however often the others name them. Not generic labels, nor a name that
        ends in a title (a label `president` before `biden president biden` is no
        introduction)."""
        if not self.self_intro_words or not cased:
            return set()
        book = self.book
        out = set()
        for (_, _, name, _), span in _first_words(chosen, len(ws), self.self_intro_words):
            last = name.split()[-1]
            if name in book.generic or name in out or last in book.titles:
                continue
            if self._introduces(ws, name, span, cased, listed):
                out.add(name)
        return out

    def _self_addressed(self, chosen: List[RuleLabel], ws: List[str], opens_text: bool,
                        introduced: Set[str], cased: Sequence[bool] = (),
                        p_end: Sequence[float] = ()) -> List[RuleLabel]:
        """Drop a label whose own turn greets or titles its name within its first
        ``self_address_words`` words (before the next label): nobody thanks or says `mr` to
        themself, so the name is someone the speaker turns to (`addressing pavel kolobkov mr
        kolobkov yesterday we discussed`, `rosalind mathieson is again with us ... ms
        mathieson`). The name's last word right after a greeting of speakers.yaml (`thank
        you`, `welcome`) or a personal title (`mr`, `ms`, `dr`). Not generic labels, labels
        with a qualifier, a name whose turn introduces its speaker (``introduced``), nor the
        label at the text's first word (``opens_text``): a transcript opens with its first
        speaker, and a label the rules missed may hold the address (`putin we will see kovacs
        thank you putin`). So is a label right after a first name that the turn thanks within
        two words of a greeting, where the restorer sees no sentence end between the two
        (``cased`` and ``p_end``; `the vice president of the united states kamala harris
        thank you so much kamala`): the full name of the one thanked, said in speech."""
        if not self.self_address_words or not chosen:
            return chosen
        book = self.book
        out = []
        for label, span in _first_words(chosen, len(ws), self.self_address_words):
            k, _, name, quals = label
            last = name.split()[-1]
            given = (ws[k - 1] if k and p_end and p_end[k - 1] < self.address_boundary
                     and self._given_name_at(ws, k - 1, cased) else None)
            if (not quals and name not in book.generic and name not in introduced
                    and not (opens_text and k == 0)
                    and any((ws[m] == last and (ws[m - 1] in PERSONAL_TITLES
                                                or ends_before(ws, m, book.greetings)))
                            or (ws[m] == given and any(ends_before(ws, m - j, book.greetings)
                                                       for j in range(3)))
                            for m in span)):
                continue
            out.append(label)
        return out

    def _speakers_first_names(self, chosen: List[RuleLabel], ws: List[str],
                              cased: Sequence[bool], introduced: Set[str]) -> List[RuleLabel]:
        """Drop the labels of a one-word name that the document writes, capitalised by the
        restorer, right before ``first_name_labels`` labels or more of one other name that
        labels more turns (`q karoline leavitt good point`, `one for karoline leavitt sure`):
        the first name of that speaker, by which the others address them, so its own labels
        are vocatives (`hassett well thank you karoline thank you stephen`), as a lone first
        name of ``first_names_path`` is. Not generic labels, names of the speaker book, a name
        that labels a turn with a qualifier or whose turn introduces its speaker
        (``introduced``). So is a label right after a greeting whose word the text writes,
        outside labels, right before a one-word name that labels more turns (`i m rita
        sandoval` ... `ortiz thank you rita`). 0 disables."""
        if not self.first_name_labels or not chosen or not cased:
            return chosen
        labels = Counter(name for *_, name, _ in chosen)
        before: Counter = Counter()  # (word, name): labels of the name right after the word
        for k, _, name, _ in chosen:
            if k and cased[k - 1] and ws[k - 1] != name.split()[0]:
                before[(ws[k - 1], name)] += 1
        kept = _vouched(chosen) | introduced | self._book_names
        drop = {w for (w, name), n in before.items()
                if n >= self.first_name_labels and w in labels and w not in kept
                and labels[name] > labels[w]}
        singles = {name for name in labels if " " not in name}
        starts = {k for k, *_ in chosen}  # not two labels in a row: `thank you hassett leavitt`
        given = {ws[m - 1] for m in range(1, len(ws))  # first names said: `i m rita sandoval`
                 if ws[m] in singles and ws[m - 1] in labels and not {m - 1, m} & starts
                 and labels[ws[m]] > labels[ws[m - 1]]} - kept
        return [c for c in chosen if c[2] not in drop
                and not (c[2] in given and ends_before(ws, c[0], self.book.greetings))]

    def _thanked_names(self, chosen: List[RuleLabel], ws: List[str],
                       introduced: Set[str]) -> List[RuleLabel]:
        """Drop the labels of a one-word name that follows ``thanked_name_labels`` turns or
        more of a generic label that say nothing but a greeting (`question thanks dan i want
        to start`, `question thank you dan on the west bank`) and labels one other turn at
        most: the host's first name, which each reporter thanks before asking (`dan` for the
        spokesperson Holloway), not a speaker. Many such names are common surnames too
        (`dan`, `matt`, `ned`), so ``first_names_path`` leaves them out. In ../shared's gold
        no name follows two such turns and labels fewer than two others. Not names of the
        speaker book, a name that labels a turn with a qualifier or whose turn introduces
        its speaker (``introduced``). 0 disables."""
        book = self.book
        if not self.thanked_name_labels or len(chosen) < 2 or not book.greetings:
            return chosen
        labels = Counter(name for *_, name, _ in chosen)
        thanked: Counter = Counter()
        for (_, a_end, a_name, _), (b, _, name, _) in zip(chosen, chosen[1:]):
            if a_name in book.generic and " " not in name and _greeting_only(
                    ws[a_end:b], book.greetings):
                thanked[name] += 1
        kept = _vouched(chosen) | introduced | self._book_names
        drop = {name for name, n in thanked.items()
                if n >= self.thanked_name_labels and labels[name] - n <= 1 and name not in kept}
        return [c for c in chosen if c[2] not in drop] if drop else chosen

    def _spoken_of(self, w: str) -> bool:
        """Whether a word after a name speaks to or of its bearer: one of
        ``spoken_of_words``, ``subject_verbs`` or ``lexical_verbs`` (`you`, `is`, `came`), or
        a past tense, a word of 5 letters or more ending in -ed that the training text writes
        in lower case (`warned`)."""
        book = self.book
        return (w in book.spoken_of_words or w in book.subject_verbs or w in book.lexical_verbs
                or (len(w) >= 5 and w.endswith("ed") and w in self.common_words))

    def _few_turns(self, chosen: List[RuleLabel], opens_text: bool,
                   kept: Set[str]) -> Set[str]:
        """The names :meth:`_spoken_to` and :meth:`_called_on` judge: those that label at most
        ``spoken_to_max_labels`` turns (a run of labels of one name is one turn); not
        generic labels, a name with a qualifier, names of the speaker book, ``kept``, nor the
        name of the label at the text's first word (``opens_text``: the transcript opens
        with their turn)."""
        if not self.spoken_to_max_labels or not chosen:
            return set()
        turns: Counter = Counter()
        for i, (_, _, name, _) in enumerate(chosen):
            if not i or chosen[i - 1][2] != name:
                turns[name] += 1
        kept = kept | _vouched(chosen) | self._book_names | set(self.book.generic)
        if opens_text and chosen[0][0] == 0:
            kept = kept | {chosen[0][2]}
        return {name for name, n in turns.items()
                if n <= self.spoken_to_max_labels and name not in kept}

    def _spoken_to(self, chosen: List[RuleLabel], ws: List[str], cased: Sequence[bool],
                   opens_text: bool, kept: Set[str]) -> List[RuleLabel]:
        """Drop the labels of a name of few turns (:meth:`_few_turns`) that one of its turns
        says again within ``spoken_to_words`` words right before a word that speaks to or of
        its bearer (:meth:`_spoken_of`), or right after a word of ``spoken_of_before`` whose
        object it is (`even for lindgren`, `stand up kowalczyk`). Nobody says `ferrante you
        have a beautiful family` or `kowalczyk ran that line` of themself: the speaker before
        goes on, calling on the people in the room. The first cue not after a title or a
        first name (`tatyana golikova told the president`: a full name, said formally). In
        ../shared's train and tune gold, 2 of the 3,491 turns of one-word names that label
        eight turns or fewer say their name before such a word (`golikova` after her first
        name, `the accounts chamber forwarded`), the same 2 as with a limit of three; of all
        10,210 named turns 16 do, the rest of them principals that label 12 turns or more (`i
        know joe biden is a nice guy`); 1 of 3,529 says it after such a word (`your trip to
        jordan`). ``kept``: names whose turn introduces its speaker or that the chair gave
        the floor. 0 disables."""
        few = self._few_turns(chosen, opens_text, kept) if self.spoken_to_words else set()
        drop: Set[str] = set()
        for i, (k, end, name, quals) in enumerate(chosen):
            if quals or name in drop or name not in few:
                continue
            j = i + 1
            while j < len(chosen) and chosen[j][2] == name:
                j += 1
            stop = min(chosen[j][0] if j < len(chosen) else len(ws), end + self.spoken_to_words)
            head = name.split()
            n = len(head)
            if any(ws[m:m + n] == head and (ws[m - 1] in self.book.spoken_of_before or (
                       m + n < len(ws) and self._spoken_of(ws[m + n])
                       and ws[m - 1] not in self.book.titles
                       and not self._given_name_at(ws, m - 1, cased)))
                   for m in range(end, stop - n + 1)):
                drop.add(name)
        return [c for c in chosen if c[2] not in drop] if drop else chosen

    def _called_on(self, chosen: List[RuleLabel], ws: List[str], cased: Sequence[bool],
                   opens_text: bool, kept: Set[str]) -> List[RuleLabel]:
        """Of two labels of a name of few turns (:meth:`_few_turns`) in a row, drop the first
        where a word that speaks of its bearer follows it (:meth:`_spoken_of`: `lindqvist is
        a tough negotiator please lindqvist thank you mr president`) or where the second
        follows within ``called_on_words`` words and answers, opening with a greeting or a
        vocative (`okonkwo tell them about the wait times okonkwo thank you sir`): the one
        called on speaks from the second. Not where the second follows a first name: a
        self-introduction (`volynkina eurasian women s community marina volynkina mr
        president`). Runs after :meth:`_rare_labels`, for which both are labels of the name.
        0 disables."""
        few = self._few_turns(chosen, opens_text, kept)

        def called_on(i: int) -> bool:
            k, end, name, quals = chosen[i]
            if (quals or name not in few or i + 1 >= len(chosen) or chosen[i + 1][2] != name
                    or self._given_name_at(ws, chosen[i + 1][0] - 1, cased)):
                return False
            if end < len(ws) and self._spoken_of(ws[end]):
                return True
            k2, end2 = chosen[i + 1][:2]
            return (k2 - end <= self.called_on_words
                    and match_at(ws, end2, self._answer_index) is not None)

        return [c for i, c in enumerate(chosen) if not called_on(i)] if few else chosen

    def _mid_sentence(self, chosen: List[RuleLabel], ws: List[str], cased: Sequence[bool],
                      introduced: Set[str]) -> List[RuleLabel]:
        """Drop a label in the middle of a sentence, however sure the label head is: right
        after a word of ``never_before_label``, whose object the name is (`congress cannot
        let putin prevail`, `except trump`, `i told putin that`); before a clitic of
        ``clitics`` (`putin s war in ukraine`, `dmitry peskov s fault`: no gold turn of
        ../shared opens with one); or where the name is the subject of the sentence it
        opens: a verb of ``subject_verbs`` follows it and then a word that opens no subject
        of a question (``not_subject_words``, or a word of 5 letters or more ending in -ing,
        -ed or -ly, no pronoun, that the training text or the restorer here writes in lower
        case: not `is beijing ready`): `putin is getting exactly the opposite`, `biden did
        nothing with it`, `trump has repeatedly disavowed it`, where `putin is it working
        well` asks. The subject check spares a generic label (`question has been having in
        china`: an interrupted reporter goes on); none drops a label with a qualifier or one
        whose turn introduces its speaker (``introduced``). A name right before a verb of
        ``lexical_verbs`` (`putin wants to make a deal`, `nowak knows better`), which no
        turn opens with, is a subject whatever follows, even a speaker's name: only a label
        with its own qualifier or a generic one stays."""
        book = self.book
        verbs, clitics, binding = book.subject_verbs, book.clitics, book.never_before_label
        if not (verbs or clitics or binding or book.lexical_verbs) or not chosen:
            return chosen
        kept = _vouched(chosen) | introduced
        generic = book.generic

        def goes_on(k: int, end: int, name: str) -> bool:
            if (k and ws[k - 1] in binding) or (end < len(ws) and ws[end] in clitics):
                return True
            if name in generic or end + 1 >= len(ws) or ws[end] not in verbs:
                return False
            w = ws[end + 1]
            return w in book.not_subject_words or (
                len(w) >= 5 and w.endswith(("ing", "ed", "ly")) and not w.endswith("thing")
                and (w in self.common_words or not cased[end + 1]))

        def subject(end: int, name: str) -> bool:
            return name not in generic and end < len(ws) and ws[end] in book.lexical_verbs

        return [c for c in chosen if c[3] or not (
            subject(c[1], c[2]) or (c[2] not in kept and goes_on(c[0], c[1], c[2])))]

    def _rare_labels(self, chosen: List[RuleLabel], ws: List[str], opens_text: bool,
                     introduced: Set[str], cased: Sequence[bool]) -> List[RuleLabel]:
        """Drop the labels of a name that labels fewer than ``min_label_share`` of its uses from
        the first label on (the narrator's intro before the first label names everyone: `trump
        said however`; uses where no rule takes a label are left out: right after a title, or
        after a title and a first name, `president khaltmaagiin battulga`, unless a label of
        the name follows that first name too: `president islam karimov` beside `islam karimov
        and i`, all full names said): a principal spoken of, not a
        speaker (`i told putin that if he invaded`, `i visited zambia`). Exempt: generic
        labels; a name that labels a turn of the document with a qualifier (`putin through
        translator` makes Putin a speaker, so `putin mr president` is his turn however often
        the others name him); a name whose turn introduces its speaker (``introduced``); the
        name of a label at the first word of the text
        (``opens_text``: not a later chunk of a long one), whose turn opens the transcript
        (`atambayev mr president ladies and gentlemen ...`, then a visit everyone speaks of:
        `thank you atambayev`, `what atambayev has done`). The counterpart of the rules'
        ``label_dominance``: a word that opens most of its uses as a turn is a label in all
        of them."""
        if not self.min_label_share or not chosen:
            return chosen
        vouched = _vouched(chosen) | introduced
        if opens_text and chosen[0][0] == 0:  # no intro: the transcript opens with their turn
            vouched.add(chosen[0][2])
        labels = Counter(name for *_, name, _ in chosen
                         if name not in vouched and name not in self.book.generic)
        first = chosen[0][0]  # the narrator's intro before it speaks of everyone
        titles = self.book.titles
        before = {}  # name -> the words right before its labels
        for k, _, name, _ in chosen:
            before.setdefault(name, set()).add(ws[k - 1] if k else None)

        def mention(m: int, name: str) -> bool:
            """A use right after a title, or after a title and a first name that no label
            of the name follows (`islam karimov` said again is no label)."""
            return m > 0 and (ws[m - 1] in titles or (
                m > 1 and ws[m - 2] in titles and ws[m - 1] not in before[name]
                and self._given_name_at(ws, m - 1, cased)))

        uses = {name: sum(1 for m in pos if m >= first and not mention(m, name))
                for name, pos in positions(ws, _name_index(labels)).items()}
        rare = {name for name, n in labels.items()
                if n < self.min_label_share * uses.get(name, 0)}
        return [c for c in chosen if c[2] not in rare]

    def _things(self, chosen: List[RuleLabel], ws: List[str],
                introduced: Set[str]) -> List[RuleLabel]:
        """Drop the labels of a name that labels at most ``thing_max_labels`` turns where the
        document also writes the name after a determiner (``determiners`` of speakers.yaml:
        `host world expo you probably know` beside `of the expo 2017`, `the eurasian economic
        union eaeu when people ask` beside `the eaeu`): a thing, not a person. In ../shared's
        gold 3 of the 471 one-word names that label one turn are written so (`the duma`), and
        none of the 292 that label two. Not generic labels, nor a name with a qualifier or
        whose turn introduces its speaker (``introduced``)."""
        dets = self.book.determiners
        if not dets or not self.thing_max_labels or not chosen:
            return chosen
        counts = Counter(name for *_, name, _ in chosen)
        few = {name for name, n in counts.items()
               if n <= self.thing_max_labels and name not in self.book.generic}
        few -= _vouched(chosen) | introduced
        starts = {k for k, *_ in chosen}
        things = {name for name, pos in positions(ws, _name_index(few)).items()
                  if any(m and m not in starts and ws[m - 1] in dets for m in pos)}
        return [c for c in chosen if c[2] not in things]

    def _conjoined(self, chosen: List[RuleLabel], ws: List[str],
                   introduced: Set[str]) -> List[RuleLabel]:
        """Drop the label of a name that labels one turn of the document where a word of
        ``conjunctions`` (speakers.yaml) follows it: the name goes on in a sentence (`ukraine
        and israel are intertwined putin and hamas may be different threats`, `the city s
        largest industrial district avtozavodsky but lost`, `pdas etc`). In ../shared's train
        and tune gold 1 of the 425 turns of a speaker of one turn opens with one (`boroda or
        stuffed fish`), while 329 turns of speakers of more turns do (`and i would add`), so
        names of more labels are left alone. Not generic labels, nor a name with a qualifier,
        whose turn introduces its speaker or that the chair gave the floor (``introduced``)."""
        joins = self.book.conjunctions
        if not joins or not chosen:
            return chosen
        counts = Counter(name for *_, name, _ in chosen)
        kept = _vouched(chosen) | introduced | set(self.book.generic)
        return [c for c in chosen if c[3] or counts[c[2]] > 1 or c[2] in kept
                or c[1] >= len(ws) or ws[c[1]] not in joins]

    def _name_tails(self, chosen: List[RuleLabel], ws: List[str], p_in: Sequence[float],
                    notes: Set[int]) -> List[RuleLabel]:
        """Labels whose name the label head cut short join the word after it (`sherwood
        randall thanks very much`, `senior administration official yeah`) where that word
        follows every label of the name (two or more), follows nothing else anywhere in the
        document, is no function word, stage note or label name, and has a label-inside
        probability of ``name_tail_floor`` at one of them at least. On train-b no label name
        followed by one word every time without being its tail scored above 0.02 there
        (`bitarov thank`, `kudrin yes`); the three tails scored 0.12 to 0.45."""
        by_name: Dict[str, List[int]] = {}
        for i, (k, end, name, quals) in enumerate(chosen):
            by_name.setdefault(name, []).append(i)
        names = set(by_name)
        out = list(chosen)
        for name, idx in by_name.items():
            size = len(name.split())
            ends = [chosen[i][1] for i in idx]
            if (len(idx) < 2 or size >= self.max_label_words
                    or any(chosen[i][3] or e != chosen[i][0] + size or e >= len(ws)
                           for i, e in zip(idx, ends))):
                continue
            tail = ws[ends[0]]
            if (any(ws[e] != tail or e in notes for e in ends)
                    or tail in self.book.function_words or tail in names
                    or max(p_in[e] for e in ends) < self.name_tail_floor):
                continue
            head = name.split()
            if any(ws[m - size:m] != head for m, w in enumerate(ws) if w == tail):
                continue  # the word is said without the name too: not part of it
            for i in idx:
                k = chosen[i][0]
                out[i] = (k,) + self._qualify(ws, k, chosen[i][1] + 1)
        return out

    def _trim_to_known(self, ws: List[str], found: Dict[int, Tuple[int, str, Tuple[str, ...]]],
                       lexicon: Counter) -> None:
        """A one-off label name without qualifiers that runs a word or more past a name
        labelling two turns or more is that name, and the rest speech: the label-inside head
        went on into the speech (`psaki sure well i don t`, `jean pierre ugh well`: 0.54 and
        0.56 at the extra word). ``found`` and ``lexicon`` are updated in place."""
        for k, (end, name, quals) in list(found.items()):
            words = name.split()
            if quals or len(words) < 2 or lexicon[name] != 1:
                continue
            for m in range(len(words) - 1, 0, -1):
                head = " ".join(words[:m])
                if lexicon[head] >= 2:
                    found[k] = self._qualify(ws, k, k + m)
                    _discount(lexicon, name)
                    lexicon[head] += 1
                    break

    def _rule_labels(self, ws: List[str], p_start: List[float], p_in: List[float],
                     p_end: List[float], blocked: Set[int], cased: Sequence[bool] = (),
                     prefixed: FrozenSet[str] = frozenset()) -> List[RuleLabel]:
        """The hand rules: (first word, word after the label, name, qualifiers) of each label.
        ``blocked``: words where no label starts (:meth:`_no_label_starts`); ``cased``: per
        word, whether the restorer capitalises it (none: no first names)."""
        found: Dict[int, Tuple[int, str, Tuple[str, ...]]] = {}
        lexicon: Counter = Counter()
        introducing: Set[int] = set()  # labels whose speaker's first words introduce them
        for k in range(len(ws)):
            if k in blocked:
                continue
            introduces = (p_start[k] >= self.self_intro_floor
                          and self._introduced_at(ws, k, cased))
            if p_start[k] < self.label_threshold and not introduces and not (
                    p_start[k] >= self.doubled_name_floor and self._doubled_name(ws, k)) and not (
                    p_start[k] >= self.titled_doubled_floor and self._titled_doubled_name(ws, k)):
                continue
            if k and ws[k - 1] in self.book.not_before_weak_label and p_start[k] < self.certain:
                continue  # "we have no question": a weak label after such a word is speech
            words_end = k + 1 if introduces else self._label_words_end(ws, p_in, k)
            end, name, quals = self._qualify(ws, k, words_end)
            if name:
                found[k] = (end, name, quals)
                lexicon[name] += 1
                if introduces:
                    introducing.add(k)
        # labels written as a full name (`vladimir putin first on the list`): the label starts
        # at the first name, however seldom first names open a turn
        for k, (end, name) in self._full_name_labels(ws, p_start, p_end, blocked).items():
            # the head's label at the surname gives way, and so does one at the first name
            # without qualifiers that is the first name or the pair (`vladimir`)
            surname = found.get(k + 1)
            if surname and surname[1] == name:
                del found[k + 1]
                _discount(lexicon, name)
            first = found.get(k)
            if first and not first[2] and first[1] in (ws[k], " ".join(ws[k:end])):
                del found[k]
                _discount(lexicon, first[1])
            if k not in found:
                found[k] = (end, name, ())
                lexicon[name] += 1
                introducing.add(k)
        # a name right before a qualifier ("staff off mike", "x through translator"): a known
        # label word (one found so before included: `duda through translator` again later,
        # where the label head scores 0.00), or any word the label head does not rule out,
        # unless the qualifier is also a stage note, which speech holds too (`trudeau speaks
        # french as interpreted covid 19 showed us`): that one vouches for known names only
        named = set(lexicon) | self._book_names
        for k in range(len(ws) - 1):
            if k in found or k in blocked or ws[k] in self.book.function_words:
                continue
            hit = match_at(ws, k + 1, self._quals_sorted)
            if not hit:
                continue
            # a guest's title and full name before the qualifier (`thank you for your attention
            # president of turkey recep tayyip erdogan retranslated`): the label starts there
            speech_too = hit[0] in self.book.stage_notes  # `as interpreted`
            start = None if speech_too else self._titled_guest(ws, k, p_end, cased, named)
            if (ws[k] in named or start is not None
                    or (p_start[k] >= self.qualifier_threshold and not speech_too)):
                end, name, quals = self._qualify(ws, k, k + 1)
                if start is None:
                    start = k
                else:  # the converter's key: the last word, or a name the document labels
                    name = next((" ".join(ws[m:k + 1]) for m in range(max(start, k - 2), k)
                                 if " ".join(ws[m:k + 1]) in lexicon), name)
                for m in range(start, k):
                    if m in found:
                        _discount(lexicon, found.pop(m)[1])
                found[start] = (end, name, quals)
                lexicon[name] += 1
                named.add(name)
        self._trim_to_known(ws, found, lexicon)
        # names already used as labels (or roles) are labels again where the label head
        # gives them a fair chance and the text before them ends a sentence
        known = self._known_names(lexicon)
        at = [match_at(ws, k, known) for k in range(len(ws))]  # longest known name at k
        # a name that is a label in most of its uses in this document is one in all of them
        # (a word that opens many turns is a label), unless its context says otherwise
        occurrences: Counter = Counter()  # uses where a label is possible at all
        for k, hit in enumerate(at):
            if hit and not (k and ws[k - 1] in self.book.not_before_label):
                occurrences[hit[1]] += 1
        dominant = _name_index(n for n, c in lexicon.items()
                               if c >= self.label_dominance * occurrences[n])
        for k, hit in enumerate(at):
            if k in found or k in blocked:
                continue
            dom = match_at(ws, k, dominant)
            if dom is None and p_start[k] < self.lexicon_threshold:
                continue
            need = self.lexicon_boundary / 3 if dom is not None else self.lexicon_boundary
            if k and (ws[k - 1] in self.book.not_before_weak_label
                      or (p_end[k - 1] < need and p_start[k] < 0.4)):
                continue
            if hit:
                end, _, quals = self._qualify(ws, k, k + len(hit[0]))
                found[k] = (end, hit[1], quals)
        labels, last_end = [], 0
        names = {w for name in lexicon for w in name.split()}  # words of the document's labels
        vouched = {name for _, name, quals in found.values() if quals} | prefixed
        for k in sorted(found):
            end, name, quals = found[k]
            # a name that opens more of the document's turns right after a label is the label,
            # and the word before it the end of a vocative (`thank you lesley stahl let s start`)
            hit = at[end] if not quals and end < len(ws) else None
            if (hit and hit[1] != name and name not in self.book.generic
                    and hit[1] not in self.book.generic and lexicon[hit[1]] >= 2
                    and lexicon[hit[1]] > lexicon[name]):
                k = end
                end, _, quals = self._qualify(ws, k, k + len(hit[0]))
                name = hit[1]
            # a sure label head overrides the words after it, and so does a fair one for a
            # person's name that labels other turns of the document (`borissov jean claude
            # juncker headed`; not a role word: `they would question officials`), but not for
            # a document's first label: an intro naming the principals is no turn (`last week
            # putin publicly denied`)
            overrides = p_start[k] >= self.certain or (
                lexicon[name] >= 2 and name not in self.book.generic
                and p_start[k] >= self.repeat_label_floor)
            # a first name opens the speech of one who introduces themself (`boitsov sergei
            # boitsov director`), though first names seldom open a turn (``non_openers``)
            if k < last_end or (not quals and k not in introducing
                                and not self._opens_turn(ws, end, lexicon)
                                and not (labels and overrides)):
                continue
            # the word before vetoes a label, unless the label head is sure and the label
            # follows no title (`question from the jean pierre` yes, `for president putin`,
            # `health care mayor marbury`, `minister yevgeny zinichev` no), unless the title
            # ends a sentence (`... mr president. putin: what issues`)
            titled = self._after_title(ws, k, names, cased, name, lexicon[name])
            sure = (p_start[k] >= self.certain and (not titled
                                                   or p_end[k - 1] >= self.title_boundary)
                    if k else True)
            vetoed = (titled or (k > 0 and ws[k - 1] in self.book.not_before_label)
                      or self._full_name_said(ws, k, end, name, names, cased))
            if not quals and vetoed and not sure:
                continue
            if not quals and self._generic_after_veto(ws, k, name):
                continue  # `next question`: a moderator's words, however sure the restorer
            if not quals and lexicon[name] < 2 and self._common_word(name):
                continue  # a one-off label `jokingly`: a word of speech, not a person
            if not quals and self._addressed_alone(name, vouched):
                continue  # `thanks ian can you clarify`: someone addressed, not a label
            labels.append((k, end, name, quals))
            last_end = end
        return labels

    def _titled_guest(self, ws: List[str], k: int, p_end: Sequence[float],
                      cased: Sequence[bool], named: Collection[str]) -> Optional[int]:
        """The first word of a guest's label that ends at the name ``k`` before a qualifier
        (`thank you for your attention president of turkey recep tayyip erdogan retranslated
        my dear friend`, `welcome steinmeier retranslated`): kremlin.ru writes a guest's title
        and full name so where the guest speaks inside the host's turn, and the label head,
        which learned surnames, scores none of it. The longest run of words the restorer
        capitalises, with ``name_particles`` between them (`of`), ``titled_label_words`` words
        at most, that starts after a sentence end (``full_name_boundary``; `thank you all once
        again president of syria bashar al assad`, though the restorer ends a sentence after
        `syria` too) or a greeting or handoff (`welcome`, `please`). It crosses no greeting or
        handoff, no sure sentence end (``lexicon_boundary``), no personal title (`over to you
        mr prime minister kishida through translator`: the one handed the floor) and no label
        name (``named``: `the prime minister of japan biden president kishida through
        translator` holds a label before). The name alone right after a greeting or handoff
        is the label however the restorer cases it (`welcome steinmeier retranslated`, in
        lower case). None where no such run ends at ``k``."""
        if not self.titled_label_words or not cased:
            return None
        book = self.book
        start, j = None, k
        while True:
            given = j > 0 and ends_before(ws, j, self._floor_givers)
            if (j == 0 or given or p_end[j - 1] >= self.full_name_boundary) and (
                    (cased[j] or (given and j == k)) and ws[j] not in book.function_words):
                start = j
            if (j == 0 or given or p_end[j - 1] >= self.lexicon_boundary
                    or k - j + 1 >= self.titled_label_words):
                return start
            j -= 1
            if (ws[j] in named or ws[j] in PERSONAL_TITLES
                    or not (cased[j] or ws[j] in book.name_particles)):
                return start

    def _full_name_labels(self, ws: List[str], p_start: Sequence[float],
                          p_end: Sequence[float],
                          blocked: Set[int]) -> Dict[int, Tuple[int, str]]:
        """Labels of a transcript that writes its speakers' full names (`radik batyrshin ...
        vladimir putin first on the list`): ``{first word: (word after, surname)}``. A listed
        first name (``first_names_path``) and the word after it, where a sentence may end
        before the pair (``full_name_boundary``), the label head scores the second word at
        least ``self_intro_floor`` (0.06 to 0.79 at the 19 such labels of train-b's
        kremlin:54071 and 54271; 0.00 at `eli lilly`, where the head scores `eli`) and no
        generic label follows within three words (`nancy cordes cbs question`: a reporter
        called on), at ``full_name_labels`` places or more and in a ``label_dominance``
        share of the pair's uses. The label is the surname's, as the converter keys it."""
        if not self.full_name_labels or not self.first_names:
            return {}
        book = self.book
        uses: Counter = Counter()
        sites: Dict[Tuple[str, str], List[int]] = {}
        for k in range(len(ws) - 1):
            given, last = ws[k], ws[k + 1]
            if (given not in self.first_names or last in self.first_names or not last.isalpha()
                    or last in book.function_words or last in book.titles
                    or last in book.generic):
                continue
            uses[(given, last)] += 1
            if (k in blocked or (k and p_end[k - 1] < self.full_name_boundary)
                    or p_start[k + 1] < self.self_intro_floor
                    or any(w in book.generic for w in ws[k + 2:k + 5])):
                continue
            sites.setdefault((given, last), []).append(k)
        return {k: (k + 2, last) for (given, last), ks in sites.items()
                if len(ks) >= self.full_name_labels
                and len(ks) >= self.label_dominance * uses[(given, last)] for k in ks}

    def _last_repeats(self, chosen: List[RuleLabel], ws: List[str]) -> List[RuleLabel]:
        """A one-word name said twice or more in a row is one label, at its last repeat: the
        words before it end the speech before (`i ll turn it over to stephen miller miller
        thank you`: in all 96 such pairs of the train and tune gold the label is the second;
        `audience trump trump trump trump well we won`). Not a generic label (`question
        question`: two reporters)."""
        out: List[RuleLabel] = []
        for i, (k, end, name, quals) in enumerate(chosen):
            parts = set(name.split())
            if len(parts) > 1 or any(p in self.book.generic for p in parts):
                out.append((k, end, name, quals))
                continue
            name = parts.pop()  # `miller miller`, one label of two words: `miller`
            while k + 1 < end and ws[k] == ws[k + 1] == name:
                k += 1
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if (nxt is not None and nxt[0] == end == k + 1 and nxt[2] == name and not quals
                    and ws[k] == name):
                continue  # the repeat right after it is the label
            out.append((k, end, name, quals))
        return out

    def _after_title(self, ws: List[str], k: int, names: Set[str], cased: Sequence[bool],
                     name: str, labels: int) -> bool:
        """Whether the label ``name`` at word k follows a title of speakers.yaml (`president
        putin`) or a title and a first name (`governor teresa alvarado`, `president lópez
        obrador`). A first name is a word of two letters or more that the restorer
        capitalises (``cased``), no function word, and no word of the document's label names
        (``names``) or the speaker book's: after `president putin` a label may follow (`...
        with president putin. trump: i know`). A title comes before a person's name, so a
        generic label follows none (`if i were the president question i think`: 30 of 30 in
        the train gold), and after a vocative (`mr president`) a name that labels ``labels``
        2+ turns of the document is the next speaker (`thank you mr president trump thank
        you`: 113 of 117 in the train gold)."""
        if name in self.book.generic or (labels >= 2 and self._after_vocative(ws, k)):
            return False
        if k and ws[k - 1] in self.book.titles:
            return True
        if k < 2 or ws[k - 2] not in self.book.titles or not cased:
            return False
        return self._first_name_before(ws, k, names, cased)  # no title: that returned above

    def _first_name_before(self, ws: List[str], k: int, names: Set[str],
                           cased: Sequence[bool]) -> bool:
        """Whether word k - 1 can be the first name of the person named at word k: a given
        name the restorer capitalises (:meth:`_given_name_at`), no word of the document's
        label names (``names``) or of the speaker book's."""
        first = ws[k - 1]
        return (self._given_name_at(ws, k - 1, cased) and first not in names
                and first not in self._book_names)

    def _full_name_said(self, ws: List[str], k: int, end: int, name: str, names: Set[str],
                        cased: Sequence[bool]) -> bool:
        """Whether the label ``name`` at word k (its words end at ``end``) follows a first name
        of ``first_names_path`` (:meth:`_first_name_before`) and no word that opens speech
        follows it (``speech_openers`` but no ``question_verbs``): a full name said in speech
        (`our national security advisor jake sullivan will take some questions`, `you ve
        heard from jake sullivan and my other`), where a speaker given the floor by their
        full name greets, thanks or answers first (`turn it over to jeff zients thanks dr
        walensky`, `ian sams hey guys`, `chris rutte yeah absolutely`). Not a generic label."""
        if k == 0 or ws[k - 1] not in self.first_names or name in self.book.generic:
            return False
        return (self._first_name_before(ws, k, names, cased)
                and not (end < len(ws) and ws[end] in self._answer_openers))

    def _after_vocative(self, ws: List[str], k: int) -> bool:
        """Whether word k follows a vocative of two words or more (`mr president`, `your
        excellency`; the `vocatives` of speakers.yaml)."""
        return ends_before(ws, k, (p for p in self.book.roles.vocatives if len(p) > 1))

    def _generic_after_veto(self, ws: List[str], k: int, name: str) -> bool:
        """A generic label (`question`) right after a word of ``not_before_generic_label``
        (`next question`), ending a noun phrase (:meth:`_ends_noun_phrase`: `an
        interesting question`) or after a possessive (`following up on peter s question`:
        `s` after a word not of ``not_possessive``), where it is speech whatever the
        restorer says."""
        book = self.book
        return (k > 0 and name in book.generic
                and (ws[k - 1] in book.not_before_generic_label
                     or self._ends_noun_phrase(ws, k)
                     or (bool(book.not_possessive) and k > 1 and ws[k - 1] == "s"
                         and ws[k - 2] not in book.not_possessive)))

    def _ends_noun_phrase(self, ws: List[str], k: int) -> bool:
        """Whether word k ends a noun phrase: an article of ``noun_phrase_articles`` and one
        to ``noun_phrase_words`` adjectives or adverbs of ``modifiers_path``, the last an
        adjective (`an interesting`, `a very serious`, `a good legal`), or a determiner of
        ``noun_phrase_determiners`` and such words, the last one of ``noun_phrase_adjectives``
        (`that specific`, `the very same`, `your last`); none a stage note's first word (`a
        little worried inaudible`)."""
        book = self.book
        if k < 2:
            return False
        listed = ws[k - 1] in book.noun_phrase_adjectives
        if not listed and (not self.adjectives or ws[k - 1] not in self.adjectives):
            return False
        openers = book.noun_phrase_determiners if listed else book.noun_phrase_articles
        for m in range(k - 1, max(-1, k - 2 - book.noun_phrase_words), -1):
            w = ws[m]
            if m < k - 1 and w in openers:
                return True
            if w in self._notes_sorted or (w not in self.adjectives and w not in self.adverbs
                                           and w not in book.noun_phrase_adjectives):
                return False
        return False

    def _names_in_speech(self, ws: List[str], chosen, opens_text: bool, titled: Set[str],
                         p_start: Sequence[float],
                         introduced: Set[str] = frozenset()) -> Set[int]:
        """The rules' labels that are names said in speech, in a transcript that labels many
        of its speakers by role: where at least ``role_labelled_min`` labels and a
        ``role_labelled_share`` of all are generic (the `generic` labels of speakers.yaml:
        `question`, `q`, `audience`, `moderator`, ...), a name the speaker book does not know
        that labels one turn only is someone addressed or spoken of (`bobby good luck`, `that
        will go to my son barron`, `this legislation modernizes our immigration system`),
        unless it doubles the name that gave the floor (`over to dr fauci fauci`), carries a
        qualifier, is the text's first word (``opens_text``: a transcript opens with its
        first speaker, `yang hi everyone`) or a person the document titles elsewhere
        (``titled``, :meth:`_titled_names`: `thanks to chairman durbin ... durbin for several
        years i served`; in ../shared's train and tune output 3 such labels were right, none wrong;
        not the label right after the title itself: `stand with mayor bowser does he`), or
        a name whose turn introduces its speaker after a listed first name (``introduced``,
        :meth:`_self_introduced`: `remark thank you yermilov hello mr president my name is
        alexander yermilov`), or a name the label head scores ``answered_label_floor`` at
        least between two labels of one named speaker, who would otherwise follow themself:
        turns alternate, as in :meth:`_alternate` (`putin is that true i think they do
        perezhogina no they don t putin`: 0.995).
        Returns their first word indices."""
        if not self.role_labelled_share or not chosen:
            return set()
        generic = sum(1 for *_, name, _ in chosen if name in self.book.generic)
        if generic < self.role_labelled_min or generic < self.role_labelled_share * len(chosen):
            return set()
        uses = Counter(name for *_, name, _ in chosen)
        answered = {b[0] for a, b, c in zip(chosen, chosen[1:], chosen[2:])
                    if p_start[b[0]] >= self.answered_label_floor and a[2] == c[2] != b[2]
                    and self._alternates(a[2])}
        return {k for k, _, name, quals in chosen
                if uses[name] == 1 and not quals and name not in self._book_names
                and name not in introduced and k not in answered
                and ws[max(0, k - len(name.split())):k] != name.split()
                and not (k == 0 and opens_text)
                and (name.split()[-1] not in titled or k == 0 or ws[k - 1] in self.book.titles)}

    def _titled_names(self, ws: List[str], cased: Sequence[bool],
                      p_end: Sequence[float]) -> Set[str]:
        """Words the document writes right after a title of speakers.yaml and the restorer
        capitalises there without ending a sentence after the title (below
        ``title_boundary``): `president ruto`, `chairman durbin`; not `mr president so`, nor
        `mr president. let me`. The names of people present or spoken of by office."""
        titles = self.book.titles
        return {ws[j] for j in range(1, len(cased))
                if ws[j - 1] in titles and cased[j] and p_end[j - 1] < self.title_boundary}

    @staticmethod
    def _asks(doc: Doc, words: List[int]) -> List[int]:
        """Word indices after which the restorer puts a question mark."""
        punct = token_values(doc, "punct_after")
        return [k for k, i in enumerate(words) if punct[i] == "?"]

    def _drop_long_questions(self, chosen, ws: List[str], asks: Sequence[int],
                             p_start: Sequence[float]):
        """Drop a journalist's label (`question`) whose turn is not a reporter's: one of more
        than ``max_question_words`` words (4 of the 3,588 of the train and tune gold exceed
        300 words), or of more than ``unasked_question_words`` words where the restorer puts
        no question mark and that opens with no address or self-introduction (`as he asked me
        this question look you know we ve been very clear`; not `good afternoon mr president
        in my city of volgograd ...`), or ``unanswered_question_words`` where another
        journalist's label follows, so that no answer would come between (`it s an
        interesting question but i think ... question ...`). Such a turn is the turn before
        it going on. Not for a document's first label, a label with a qualifier (`question
        through translator`) or, but for the first limit, one the label head scores
        ``sure_question_label`` at least (`why don t you begin question all right thank you
        very much ...`: a long question the restorer asks nothing in). ``asks``: sorted word
        indices after which the restorer puts a question mark."""
        out = []
        for i, (k, end, name, quals) in enumerate(chosen):
            nxt = chosen[i + 1][0] if i + 1 < len(chosen) else len(ws)
            if i and not quals and self.book.describe(name)["role"] == "journalist":
                n = nxt - end
                if self.max_question_words and n > self.max_question_words:
                    continue
                limit = self.unasked_question_words
                if (i + 1 < len(chosen) and not chosen[i + 1][3]
                        and self.book.describe(chosen[i + 1][2])["role"] == "journalist"):
                    limit = self.unanswered_question_words or limit  # no answer follows
                if (limit and n > limit and p_start[k] < self.sure_question_label
                        and bisect.bisect_left(asks, nxt) == bisect.bisect_left(asks, end)
                        and not count_phrases(ws[end:end + self.book.roles.vocative_window],
                                              self._asker_openings)):
                    continue
            out.append((k, end, name, quals))
        return out

    def candidates(self, ws: List[str], p_start: List[float], p_in: List[float],
                   p_end: List[float], chosen, blocked: Set[int]) -> List[Candidate]:
        """What the verifier re-decides: the rules' labels, every word with label-head
        probability of at least ``candidate_floor`` and every use of a label name, none
        where no label starts (``blocked``)."""
        rule = {k: (end, name, quals) for k, end, name, quals in chosen}
        known = self._known_names(name for _, name, _ in rule.values())
        out = []
        for k, w in enumerate(ws):
            if k in rule:
                end, name, quals = rule[k]
                out.append(Candidate(k, end, name, quals, True))
                continue
            if w in self.book.function_words or k in blocked:
                continue
            hit = match_at(ws, k, known)
            if hit is None and p_start[k] < self.candidate_floor:
                continue
            j = k + len(hit[0]) if hit is not None else self._label_words_end(ws, p_in, k)
            end, name, quals = self._qualify(ws, k, j)
            if hit is not None:
                name = hit[1]
            if name:
                out.append(Candidate(k, end, name, quals, False))
        return out

    def _alternates(self, name: str) -> bool:
        """Whether two labels of ``name`` in a row mean that someone spoke between them: a
        named speaker (no generic label: `question` after `question` is another reporter)
        whose repeated labels merge (:meth:`merges_repeats`). Used by :meth:`_alternate` and
        :meth:`_names_in_speech`."""
        return name not in self.book.generic and self.merges_repeats(name)

    def merges_repeats(self, speaker: str) -> bool:
        """Whether a label right after a turn of the same (normalised) speaker continues that
        turn: ``merge_repeats`` (a transcript that repeats the label each paragraph), unless
        the speaker book says the role stands for many people (``question``)."""
        return self.merge_repeats and speaker not in self.book.separate

    def _doubled_name(self, ws: List[str], k: int) -> bool:
        """The word repeats the one before it and is a name, not a word of speech (a common
        word, function word or one of ``speech_openers``: `they said whoa whoa no`): the
        label of a person just given the floor (`the floor to mikhail mishustin mishustin`)."""
        w = ws[k]
        return (k > 0 and ws[k - 1] == w and w.isalpha() and w not in self.common_words
                and w not in self.book.function_words and w not in self.book.speech_openers)

    def _titled_doubled_name(self, ws: List[str], k: int) -> bool:
        """A doubled name (:meth:`_doubled_name`, no title itself) right after a title, or
        after a title and one more name word: the label of the person just named
        (`over to dr fauci fauci thank you`, `madam kamala harris harris thank you`)."""
        if k < 2 or ws[k] in self.book.titles or not self._doubled_name(ws, k):
            return False
        x = ws[k - 2]
        if x in self.book.titles:
            return True
        return (k >= 3 and ws[k - 3] in self.book.titles and len(x) > 1 and x.isalpha()
                and x not in self.common_words and x not in self.book.function_words)

    def _given_name_at(self, ws: List[str], m: int, cased: Sequence[bool]) -> bool:
        """Whether word m can be a person's first name before their surname: a word of two
        letters or more that the restorer capitalises (``cased``; none: never), no title,
        no function word, and not the end of a qualifier or stage note (`staff off mike
        trump it would have been`: `mike` is no first name there)."""
        w = ws[m]
        return (bool(cased) and cased[m] and len(w) > 1 and w.isalpha()
                and w not in self.book.titles and w not in self.book.function_words
                and not ends_before(ws, m + 1, self._phrase_ends.get(w, ())))

    def _introduced_at(self, ws: List[str], k: int, cased: Sequence[bool]) -> bool:
        """The word is a surname that its speaker's first words repeat after a first name,
        as journalists and officials introduce themselves (`akinshina lilia akinshina from tv
        centre`, `sakharchuk my name is vladislav sakharchuk`): the label of that speaker,
        however weak the label head (0.06 to 0.73 on 11 such turns of train-a and train-b)."""
        w, i = ws[k], k + 1
        if ws[i:i + 3] == ["my", "name", "is"]:
            i += 3
        if i + 1 >= len(ws) or ws[i + 1] != w or ws[i] == w or (k and ws[k - 1] == ws[i]):
            return False  # not `w first w`, or a name said twice (`mount mckinley mount mckinley`)
        return (w.isalpha() and w not in self.book.function_words and w not in self.book.titles
                and self._given_name_at(ws, i, cased))

    def _first_name(self, name: str, vouched: Set[str]) -> bool:
        """A name that is one first name (``first_names_path``: `ian`, `stephanie`), no name
        of the speaker book and not ``vouched`` for (a name that labels a turn of the
        document with a qualifier, `lula through translator`): a label gives a surname or a
        role, so such a word is someone addressed (`thanks ian can you clarify`)."""
        return name in self.first_names and name not in self._book_names and name not in vouched

    def _addressed_alone(self, name: str, vouched: Set[str]) -> bool:
        """A lone first name (``first_names_path``, as :meth:`_first_name`) or a lone title of
        speakers.yaml (`thanks admiral`, `senator`), no name of the speaker book and not
        ``vouched`` for: how one addresses a person, not how a transcript labels one (no gold
        label of ../shared is a title alone)."""
        return ((name in self.first_names or name in self.book.titles)
                and name not in self._book_names and name not in vouched)

    def _name_word(self, w: str, vouched: Set[str]) -> bool:
        """Whether a word can be a one-word name of a label found by its context alone (the
        opening and greeted-name rules): a word of letters, no function word, title, common
        word or lone first name."""
        return (w.isalpha() and w not in self.book.function_words and w not in self.book.titles
                and not self._common_word(w) and not self._first_name(w, vouched))

    def _common_word(self, name: str) -> bool:
        """A one-word name that the training text writes in lower case (no person, no role
        of the speaker book)."""
        return name in self.common_words and name not in self._book_names

    def _opens_turn(self, ws: List[str], nxt: int, lexicon) -> bool:
        """Whether the words after a candidate label can start a turn: not a word that
        (almost) never opens one (``putin publicly denied``), not a coordination of names
        (``trump and putin summarized``)."""
        if nxt >= len(ws):
            return True
        if ws[nxt] in self.non_openers:
            return False
        if ws[nxt] in ("and", "or") and nxt + 1 < len(ws):
            names = set(lexicon) | set(self.book.roster)
            return ws[nxt + 1] not in names
        return True

    _LINE_LABEL = re.compile(
        r"(?m)^[ \t]*(?P<label>(?:[A-Z][A-Za-z'\u2019.\-]*)(?:[ \t]+[A-Z][A-Za-z'\u2019.\-]*){0,4})"
        r"[ \t]*(?P<qual>\([^)\n]{1,40}\))?[ \t]*:")

    def _labels_punctuated(self, doc: Doc) -> List[Label]:
        labels = []
        text = doc.text  # built anew on every access: once here
        for m in self._LINE_LABEL.finditer(text):
            span = doc.char_span(m.start("label"), m.end(), alignment_mode="expand")
            if span is None:
                continue
            words = [w.lower() for w in re.findall(r"[^\W_]+", m.group("label"))]
            words = [w for w in words if w not in self.book.honorifics] or words
            key = " ".join(words)
            if key not in self._book_names and len(words) > 1:
                key = words[-1]
            quals = []
            qual_words = re.findall(r"[^\W_]+", (m.group("qual") or "").lower())
            for phrase, flag in self.book.qualifiers.items():
                if " ".join(phrase) in " ".join(qual_words) and flag not in quals:
                    quals.append(flag)  # once: `retranslated from russian` matches three entries
            end = span.end
            after = text[m.end():m.end() + 40]
            interp = re.match(r"\s*\((?:as interpreted|through (?:an )?(?:translator|interpreter))"
                              r"\.?\)", after, re.I)
            if interp:
                quals.append("via_translator")
                tail = doc.char_span(m.end(), m.end() + interp.end(), alignment_mode="expand")
                end = tail.end if tail is not None else end
            labels.append(Label(span.start, end, key, tuple(quals)))
        return labels

    # -- turns -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        words = [t.i for t in doc if is_word(t)]
        if doc._.restore_mode == "keep":
            labels = self._labels_punctuated(doc)
        else:
            prefix = token_values(doc, "label_prefix")
            read = [i for i in words if not prefix[i]]
            labels = self._labels_unpunctuated(doc, read,
                                               _prefixed_titles(doc, words, prefix,
                                                                self.book.titles))
            if len(read) < len(words):
                labels = _with_prefixes(doc, labels, words, prefix, self.book.titles,
                                        self.book.determiners)
        turns, label_spans, notes = self._build(doc, words, labels)
        index, count = doc.user_data.get(CHUNK_KEY, (0, 1))
        if index > 0 and turns and not turns[0]["marker"]:  # speech carried over from the last chunk
            turns[0].update(speaker=CONTINUED, name="", role=CONTINUED)
        if index == count - 1:
            self._footer(doc, turns)
        if turns and not turns[-1]["marker"] and len(turns) > 1:  # labels inside a footer
            cut = turns[-1]["start"]
            label_spans = [x for x in label_spans if x.start < cut]
            notes = [x for x in notes if x.start < cut]
        notes.extend(self._stage_notes(doc, turns))
        self._journalists(doc, turns, notes)
        self._roles(doc, words, turns, notes + label_spans)
        doc.spans[TURNS] = [self._span(doc, t) for t in turns]
        doc.spans[LABELS] = label_spans
        doc.spans[NOTES] = sorted(notes, key=lambda s: s.start)
        starts = set()
        for t in turns:
            starts.update((t["start"], t["speech_start"], t["end"]))
        for x in label_spans:
            starts.update((x.start, x.end))
        set_sent_starts(doc, {i for i in starts if i < len(doc) and not doc[i].is_space},
                        keep_existing=True)
        return doc

    def _span(self, doc: Doc, t: dict) -> Span:
        span = Span(doc, t["start"], t["end"], label=t["speaker"])
        span._.turn = {k: t.get(k) for k in ("speaker", "name", "role", "via_translator",
                                             "off_mike", "speech_start", "journalist_name",
                                             "outlet", "role_source")}
        return span

    def _last_non_space(self, doc: Doc, start: int, stop: int) -> int:
        j = stop
        while j > start and doc[j - 1].is_space:
            j -= 1
        return j

    def _build(self, doc: Doc, words: List[int], labels: List[Label]):
        n = len(doc)
        label_spans, notes = [], []
        # a label with no speech joins the next label (or, at the end, the turn before)
        merged: List[Label] = []
        pending: Optional[int] = None
        for i, lab in enumerate(labels):
            nxt = labels[i + 1].start if i + 1 < len(labels) else n
            k = bisect.bisect_left(words, lab.end)
            has_speech = k < len(words) and words[k] < nxt
            label_spans.append(Span(doc, lab.start, lab.end, label=lab.name))
            if not has_speech and i + 1 < len(labels):
                notes.append(Span(doc, lab.start, lab.end, label="label_without_speech"))
                pending = lab.start if pending is None else pending
                continue
            if pending is not None:
                lab = Label(pending, lab.end, lab.name, lab.quals)
                pending = None
            merged.append(lab)
        turns: List[dict] = []
        first = merged[0].start if merged else n
        if any(w < first for w in words):
            end = self._last_non_space(doc, 0, first)
            turns.append(self._turn(doc, 0, 0, end, "narrator", ()))
        for i, lab in enumerate(merged):
            stop = merged[i + 1].start if i + 1 < len(merged) else n
            end = self._last_non_space(doc, lab.end, stop)
            prev = turns[-1] if turns else None
            speaker = self.book.describe(lab.name)["speaker"]
            if (prev is not None and prev["speaker"] == speaker and prev["marker"]
                    and self.merges_repeats(speaker)):
                notes.append(Span(doc, lab.start, lab.end, label=REPEATED_LABEL))
                prev["end"] = max(end, lab.end)
                prev["via_translator"] |= "via_translator" in lab.quals
                prev["off_mike"] |= "off_mike" in lab.quals
                continue
            turns.append(self._turn(doc, lab.start, lab.end, max(end, lab.end), lab.name,
                                    lab.quals, marker=True))
        return turns, label_spans, notes

    def _turn(self, doc: Doc, start: int, speech_start: int, end: int, name: str,
              quals: Tuple[str, ...], marker: bool = False) -> dict:
        info = self.book.describe(name) if marker else {"speaker": "narrator", "name": "Narrator",
                                                         "role": "narrator"}
        return {**info, "start": start, "speech_start": speech_start, "end": end,
                "via_translator": "via_translator" in quals, "off_mike": "off_mike" in quals,
                "quals": quals, "marker": marker}

    def _footer(self, doc: Doc, turns: List[dict]) -> None:
        """Cut a publisher's footer (a cue phrase among the last words) into a narrator turn;
        labels inside the footer are dropped."""
        if not turns or not self.book.footer_cues:
            return
        toks = [t for t in doc if is_word(t)][-self.footer_window:]
        ws = [t.lower_ for t in toks]
        for k in range(len(ws)):
            if not any(tuple(ws[k:k + len(c)]) == c for c in self.book.footer_cues):
                continue
            cut = toks[k].i
            sent_start = toks[k].sent.start if doc.has_annotation("SENT_START") else cut
            if cut - sent_start <= 3:
                cut = sent_start
            while turns and turns[-1]["start"] >= cut:
                turns.pop()
            if not turns or cut <= turns[-1]["speech_start"]:
                return
            end = max(t.i for t in doc[cut:] if not t.is_space) + 1
            turns[-1]["end"] = self._last_non_space(doc, turns[-1]["speech_start"], cut)
            turns.append(self._turn(doc, cut, cut, end, "narrator", ()))
            return

    def _journalists(self, doc: Doc, turns: List[dict], notes: List[Span]) -> None:
        """``journalist_name`` and ``outlet`` of question turns: from a self-introduction, or
        from the hand-off at the end of the turn before."""
        skip = {i for n in notes for i in range(n.start, n.end)}
        restored = token_values(doc, "restored")
        press = self.book.press

        def text(toks, rng):
            if rng is None:
                return None
            forms = [restored[t.i] or t.text for t in toks[rng[0]:rng[1]]]
            out = " ".join(forms)
            return out.title() if out.islower() else out

        handed_name = handed_outlet = None
        for t in turns:
            toks = [x for x in doc[t["speech_start"]:t["end"]] if is_word(x) and x.i not in skip]
            words = [x.lower_ for x in toks]
            if t["role"] in ("journalist", "unknown"):
                found = introduction(words, press)
                name, outlet = text(toks, found.name), found.outlet_display or text(toks, found.outlet)
                if name is None and outlet is None and t["role"] == "journalist":
                    name, outlet = handed_name, handed_outlet
                t["journalist_name"], t["outlet"] = name, outlet
            handed = handoff(words, press)
            handed_name = text(toks, handed.name)
            handed_outlet = handed.outlet_display or text(toks, handed.outlet)

    def _roles(self, doc: Doc, words: List[int], turns: List[dict], skipped: List[Span]) -> None:
        """``role_source`` of every turn, and a role from the document itself for the
        speakers the book leaves ``unknown`` (:mod:`pipeline.roles`)."""
        for t in turns:
            if t["role"] in ("unknown", CONTINUED):
                t["role_source"] = ""
            else:
                t["role_source"] = "book" if t["marker"] else "position"
        skip = {i for n in skipped for i in range(n.start, n.end)}
        punct = token_values(doc, "punct_after")
        stats: Dict[str, SpeakerStats] = {}
        cues = self.book.roles
        spoken = [t for t in turns if t["marker"] and t["role"] != CONTINUED]
        said = []
        for t in spoken:
            span = doc[t["speech_start"]:t["end"]]
            ws = [x.lower_ for x in span if is_word(x) and x.i not in skip]
            said.append(ws)
            known = t["role"] != "unknown" or t["speaker"] in self.book.separate  # `remark`
            s = stats.setdefault(t["speaker"], SpeakerStats(known=known,
                                                            official=t["role"] == "official"))
            s.turns += 1
            s.words += len(ws)
            s.asking += any(punct[x.i] == "?" or x.text == "?" for x in span)
            s.moderator_cues += count_phrases(ws, cues.moderator_index)
            s.introduced |= bool(t.get("journalist_name") or t.get("outlet"))
        # a vocative by office at the start of a turn addresses the speaker before, at the
        # end of one the speaker after (`... thank you mr president` / `mr president i ...`)
        w = cues.vocative_window
        for i in range(1, len(spoken)):
            a, b = spoken[i - 1]["speaker"], spoken[i]["speaker"]
            if a != b:
                stats[a].addressed += bool(count_phrases(said[i][:w], cues.vocative_index))
                stats[b].addressed += bool(count_phrases(said[i - 1][-w:], cues.vocative_index))
        unknown = [k for k, s in stats.items() if not s.known]
        if not unknown:
            return
        titled = titled_names([doc[i].lower_ for i in words], [i not in skip for i in words],
                              unknown, cues)
        found = infer_roles(stats, titled, cues)
        for t in turns:
            if t["role"] == "unknown" and t["speaker"] in found:
                t["role"], t["role_source"] = found[t["speaker"]]

    def _stage_notes(self, doc: Doc, turns: List[dict]) -> List[Span]:
        out = []
        for t in turns:
            if doc._.restore_mode == "keep":
                text = doc[t["speech_start"]:t["end"]]
                for m in re.finditer(r"[\(\[]([^()\[\]\n]{1,40})[\)\]]", text.text):
                    inner = tuple(re.findall(r"[^\W_]+", m.group(1).lower()))
                    kind = self.book.stage_notes.get(inner)
                    if kind:
                        s = doc.char_span(text.start_char + m.start(), text.start_char + m.end(),
                                          alignment_mode="expand")
                        if s is not None:
                            out.append(Span(doc, s.start, s.end, label=kind))
                continue
            toks = [x for x in doc[t["speech_start"]:t["end"]] if is_word(x)]
            ws = [x.lower_ for x in toks]
            k = 0
            while k < len(ws):
                hit = match_at(ws, k, self._notes_sorted)
                if hit:
                    out.append(Span(doc, toks[k].i, toks[k + len(hit[0]) - 1].i + 1, label=hit[1]))
                    k += len(hit[0])
                else:
                    k += 1
        return out

    # the files a saved pipeline carries, so that it loads anywhere
    _FILES = (("speakers_path", "speakers.yaml"), ("non_openers_path", "non_openers.json"),
              ("verifier_path", "verifier.json"), ("common_words_path", "common_words.json"),
              ("first_names_path", "first_names.json"), ("modifiers_path", "modifiers.json"))

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for attr, name in self._FILES:
            if getattr(self, attr):
                (path / name).write_bytes(resolve(getattr(self, attr)).read_bytes())

    def from_disk(self, path, *, exclude=tuple()) -> "TurnSegmenter":
        path = Path(path)
        settings = dict(self.settings)
        speakers = self.speakers_path
        for attr, name in self._FILES:
            if (path / name).exists():
                if attr == "speakers_path":
                    speakers = str(path / name)
                else:
                    settings[attr] = str(path / name)
        self.__init__(None, self.name, speakers_path=speakers, **settings)
        return self


@Language.factory(
    "transcript_turns",
    requires=["token.is_sent_start", "token._.label_start", "doc._.restore_mode"],
    assigns=["doc.spans", "span._.turn", "token.is_sent_start"],
    default_config={"speakers_path": "configs/speakers.yaml", "label_threshold": 0.75,
                    "lexicon_threshold": 0.05, "qualifier_threshold": 0.02,
                    "lexicon_boundary": 0.3, "label_dominance": 0.5, "max_label_words": 4,
                    "footer_window": 150, "non_openers_path": "models/restorer/non_openers.json",
                    "label_certain": 0.75, "title_boundary": 0.5,
                    "verifier_path": "models/turn_verifier/verifier.json",
                    "candidate_floor": 0.05,
                    "common_words_path": "models/restorer/common_words.json",
                    "merge_repeats": True, "repeat_label_floor": 0.3,
                    "doubled_name_floor": 0.2, "max_question_words": 300,
                    "unasked_question_words": 120, "role_labelled_share": 0.2,
                    "role_labelled_min": 3, "name_tail_floor": 0.1,
                    "first_names_path": "configs/first_names.json",
                    "unanswered_question_words": 70, "min_label_share": 0.35,
                    "thing_max_labels": 2, "alternation_floor": 0.05,
                    "greeted_label_floor": 0.2, "self_intro_words": 10,
                    "self_intro_floor": 0.05, "self_address_words": 15,
                    "address_label_floor": 0.2, "address_boundary": 0.5,
                    "titled_opening_boundary": 0.15, "standalone_name_boundary": 0.1,
                    "first_name_labels": 2,
                    "handoff_label_floor": 0.2,
                    "sure_question_label": 0.96, "titled_doubled_floor": 0.0,
                    "modifiers_path": "configs/modifiers.json", "thanked_name_labels": 2,
                    "spoken_to_max_labels": 8, "spoken_to_words": 150,
                    "called_on_words": 20, "full_name_labels": 3, "full_name_boundary": 0.1,
                    "answered_label_floor": 0.97, "titled_label_words": 12},
)
def make_turns(nlp: Language, name: str, speakers_path: str, label_threshold: float,
               lexicon_threshold: float, qualifier_threshold: float, lexicon_boundary: float,
               label_dominance: float, max_label_words: int, footer_window: int,
               non_openers_path: str, label_certain: float, title_boundary: float,
               verifier_path: str, candidate_floor: float,
               common_words_path: str, merge_repeats: bool,
               repeat_label_floor: float, doubled_name_floor: float,
               max_question_words: int, unasked_question_words: int,
               role_labelled_share: float, role_labelled_min: int,
               name_tail_floor: float, first_names_path: str,
               unanswered_question_words: int, min_label_share: float,
               thing_max_labels: int, alternation_floor: float,
               greeted_label_floor: float, self_intro_words: int,
               self_intro_floor: float, self_address_words: int,
               address_label_floor: float, address_boundary: float,
               titled_opening_boundary: float, standalone_name_boundary: float,
               first_name_labels: int, handoff_label_floor: float,
               sure_question_label: float, titled_doubled_floor: float,
               modifiers_path: str, thanked_name_labels: int, spoken_to_max_labels: int,
               spoken_to_words: int, called_on_words: int, full_name_labels: int,
               full_name_boundary: float, answered_label_floor: float,
               titled_label_words: int) -> TurnSegmenter:
    return TurnSegmenter(nlp, name, speakers_path=speakers_path, label_threshold=label_threshold,
                         lexicon_threshold=lexicon_threshold,
                         qualifier_threshold=qualifier_threshold,
                         lexicon_boundary=lexicon_boundary,
                         label_dominance=label_dominance,
                         max_label_words=max_label_words, footer_window=footer_window,
                         non_openers_path=non_openers_path, label_certain=label_certain,
                         title_boundary=title_boundary, verifier_path=verifier_path,
                         candidate_floor=candidate_floor, common_words_path=common_words_path,
                         merge_repeats=merge_repeats, repeat_label_floor=repeat_label_floor,
                         doubled_name_floor=doubled_name_floor,
                         max_question_words=max_question_words,
                         unasked_question_words=unasked_question_words,
                         role_labelled_share=role_labelled_share,
                         role_labelled_min=role_labelled_min,
                         name_tail_floor=name_tail_floor, first_names_path=first_names_path,
                         unanswered_question_words=unanswered_question_words,
                         min_label_share=min_label_share, thing_max_labels=thing_max_labels,
                         alternation_floor=alternation_floor,
                         greeted_label_floor=greeted_label_floor,
                         self_intro_words=self_intro_words,
                         self_intro_floor=self_intro_floor,
                         self_address_words=self_address_words,
                         address_label_floor=address_label_floor,
                         address_boundary=address_boundary,
                         titled_opening_boundary=titled_opening_boundary,
                         standalone_name_boundary=standalone_name_boundary,
                         first_name_labels=first_name_labels,
                         handoff_label_floor=handoff_label_floor,
                         sure_question_label=sure_question_label,
                         titled_doubled_floor=titled_doubled_floor,
                         modifiers_path=modifiers_path,
                         thanked_name_labels=thanked_name_labels,
                         spoken_to_max_labels=spoken_to_max_labels,
                         spoken_to_words=spoken_to_words,
                         called_on_words=called_on_words,
                         full_name_labels=full_name_labels,
                         full_name_boundary=full_name_boundary,
                         answered_label_floor=answered_label_floor,
                         titled_label_words=titled_label_words)
