"""Word lists drawn from public lexicons and the training transcripts, for the turn rules.

    python -m pipeline.lexicons first-names --out configs/first_names.json \
        --transcripts ../shared/data/transcripts/*.jsonl
    python -m pipeline.lexicons modifiers --out configs/modifiers.json

* :func:`non_name_words`: adjectives, adverbs and verbs of WordNet that are never nouns
  (read from en_core_web_sm's lemmatizer tables); ``pipeline.train_restorer`` adds the
  ones its training text never uses to ``common_words.json``.
* :func:`inflected_non_names`: inflected forms of WordNet's words (`differed`, `patriots`)
  that are no Census 1990 name, which ``pipeline.train_restorer`` adds to
  ``common_words.json`` the same way.
* :func:`modifiers`: WordNet's adjectives that are never nouns, and its adverbs
  (``configs/modifiers.json``): a generic label that ends a noun phrase made of an
  indefinite article and them (`an interesting question`) is speech.
* :func:`first_names`: common US first names (1990 Census, public domain; the files ship in
  the MIT-licensed PyPI package ``names``, needed only to rebuild the list) that are not
  common surnames. Transcripts label a speaker by surname or role, so a label made of one
  of them is someone addressed (`thanks ian can you clarify`).
* :func:`speaker_first_names`: the first names in the speaker fields of punctuated
  transcripts (`President of Russia Vladimir Putin`), which the Census hardly knows
  (`vladimir`, `sergei`, `dmitry`); the command adds those of the train split to the list.
* :func:`mostly_given_names`: common first names that are common surnames too, but 20 times
  rarer as surnames (`david`, `michael`, `roberto`); the command adds those that the train
  transcripts (:func:`written_forms`) never write in lower case (`don`, `bill`) nor as a
  speaker's surname (`Sun Juan`), and that they use where WordNet lists them as a word
  (not `brandy`, `dawn`). Speakers address people by them (`thank you roberto`, `michael
  regan he s here`), and in ../shared/data no one-word label is one of them.
"""
from __future__ import annotations

import argparse
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Collection, Dict, Iterable, List, Set, Tuple


@lru_cache(maxsize=1)
def _wordnet():
    """WordNet's lemma index, suffix rules and irregular forms, as en_core_web_sm's
    lemmatizer packages them (the model loaded once for both lists below)."""
    from .entities import load_english

    lookups = load_english("en_core_web_sm").get_pipe("lemmatizer").lookups
    return (lookups.get_table("lemma_index"), lookups.get_table("lemma_rules"),
            lookups.get_table("lemma_exc"))


def non_name_words() -> List[str]:
    """Words that WordNet (the lemma index of en_core_web_sm's lemmatizer) lists as an
    adjective, adverb or verb and never as a noun (``secondarily``, ``unmanageable``): no
    person's name. Nouns are left out, as WordNet lists names among them (``putin``,
    ``rice``); so are inflected forms (``waters``, ``manning`` are surnames)."""
    index = _wordnet()[0]
    nouns = set(index["noun"])
    return sorted({w for pos in ("adj", "adv", "verb") for w in index[pos]
                   if w.isalpha() and w.islower() and w not in nouns})


def wordnet_lemmas() -> Set[str]:
    """Every lemma of WordNet's index (nouns, verbs, adjectives, adverbs), as en_core_web_sm's
    lemmatizer packages it: names among them (`putin`, `david`)."""
    index = _wordnet()[0]
    return {w for pos in ("noun", "verb", "adj", "adv") for w in index[pos]}


def modifiers() -> Dict[str, List[str]]:
    """WordNet's adjectives that it never lists as a noun (``interesting``, ``rhetorical``;
    not ``quick``, ``second``) and its adverbs (``very``, ``highly``), from the lemma index of
    en_core_web_sm's lemmatizer: what may come between an indefinite article and the noun
    it opens (`an interesting question`, `a very serious question`)."""
    index = _wordnet()[0]
    nouns = set(index["noun"])
    return {"adjectives": sorted(w for w in index["adj"]
                                 if w.isalpha() and w.islower() and w not in nouns),
            "adverbs": sorted(w for w in index["adv"] if w.isalpha() and w.islower())}


def inflected_non_names(census: Path, min_lemma: int = 4) -> List[str]:
    """Inflected forms of WordNet's nouns, verbs and adjectives (the lemma index of
    en_core_web_sm's lemmatizer, inflected by its suffix rules in reverse, and its irregular
    forms): `differed`, `prohibits`, `patriots`, `overruns`, `phenomena`. None that is a
    lemma itself (WordNet lists names among its nouns: `putin`), a Census 1990 surname or
    first name of any rank (``census``: `waters`, `manning`, `james`), or made from a lemma
    of fewer than ``min_lemma`` letters (`uss` from `us`). No person is labelled by one."""
    index, rules, exceptions = _wordnet()
    lemmas = wordnet_lemmas()
    forms = set()
    for pos in ("noun", "verb", "adj"):
        for old, new in rules[pos]:
            forms.update(w[:len(w) - len(new)] + old for w in index[pos]
                         if old and w.isalpha() and len(w) >= min_lemma and w.endswith(new))
        forms.update(f for f, (lemma, *_) in exceptions[pos].items() if len(lemma) >= min_lemma)
    names = (census_names(census / "dist.all.last", 10 ** 6)
             | census_names(census / "dist.male.first", 10 ** 6)
             | census_names(census / "dist.female.first", 10 ** 6))
    return sorted(f for f in forms if f.isalpha() and f.islower() and f not in lemmas
                  and f not in names)


def census_rows(path: Path) -> Dict[str, Tuple[float, int]]:
    """(frequency in percent of people, rank) of each name of a Census 1990 ``dist.*`` file
    (``NAME FREQ CUMFREQ RANK`` a line)."""
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 4:
            out[parts[0].lower()] = (float(parts[1]), int(parts[3]))
    return out


def census_names(path: Path, top: int) -> Set[str]:
    """The names of a Census 1990 ``dist.*`` file ranked ``top`` or better."""
    return {name for name, (_, rank) in census_rows(path).items() if rank <= top}


def first_names(census: Path, first_top: int = 1000, surname_top: int = 20000) -> List[str]:
    """First names among the ``first_top`` most common (male or female) that are not among
    the ``surname_top`` most common surnames: with 20,000, `kerry`, `abe` and `juan`, the
    only one-word speakers of ../shared/data that are common first names, stay out, and so
    do `lee`, `may`, `francis` or `ryan`."""
    given = (census_names(census / "dist.male.first", first_top)
             | census_names(census / "dist.female.first", first_top))
    surnames = census_names(census / "dist.all.last", surname_top)
    return sorted(w for w in given - surnames if w.isalpha())


MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december"})


def mostly_given_names(census: Path, first_top: int = 1000, surname_top: int = 20000,
                       ratio: float = 20.0) -> List[str]:
    """First names among the ``first_top`` most common that are among the ``surname_top``
    most common surnames too, but that the Census counts as a first name (men's or women's)
    at least ``ratio`` times as often as as a surname: `david` (2.363% of men, 0.014% of
    surnames), `michael`, `pam` (46), `roberto`, also `kerry` (36), which the command drops as a
    speaker's surname (:func:`written_forms`); not `kelly` (2.8), `lee` (0.7), `scott` (3.0),
    nor a month (`april`, `june`). 0 gives none."""
    if not ratio:
        return []
    given: Dict[str, float] = {}  # the higher of a name's men's and women's frequencies
    top: Set[str] = set()
    for sex in ("male", "female"):
        for w, (freq, rank) in census_rows(census / f"dist.{sex}.first").items():
            given[w] = max(freq, given.get(w, 0.0))
            if rank <= first_top:
                top.add(w)
    surnames = census_rows(census / "dist.all.last")
    return sorted(w for w in top if w in surnames and surnames[w][1] <= surname_top
                  and w.isalpha() and w not in MONTHS and given[w] >= ratio * surnames[w][0])


def written_forms(transcripts: Iterable[dict]) -> Tuple[Set[str], Set[str], Set[str]]:
    """What punctuated transcripts (``turns[{speaker, text}]``) do with words: those their
    speech writes in lower case somewhere (`don`, `bill`, `mark`), those it writes
    capitalised, and the last words of their speaker fields (`Sun Juan`, `Jean-Pierre`: `jean`
    and `pierre`)."""
    lower: Set[str] = set()
    capital: Set[str] = set()
    lasts: Set[str] = set()
    for doc in transcripts:
        for turn in doc["turns"]:
            words = turn["speaker"].split()
            if words:  # and each part of a double-barrelled one (`Jean-Pierre`)
                lasts.update(re.findall(r"[a-z]+", words[-1].lower()))
            for w in re.findall(r"[A-Za-z]+", turn["text"]):
                (lower if w[0].islower() else capital).add(w.lower())
    return lower, capital, lasts


def speaker_first_names(transcripts: Iterable[dict], min_surnames: int = 2,
                        min_docs: int = 2) -> List[str]:
    """First names of the speakers of punctuated transcripts (``doc_id``, ``turns[{speaker,
    text}]``): the word before the last word of a speaker field (`President of Russia
    Vladimir Putin`, `Director of the Moscow Variety Theatre Gennady Hazanov`), a capital and
    then lower-case letters, that comes before ``min_surnames`` different last words or more
    in ``min_docs`` documents or more. Not a word that ends a speaker field anywhere
    (`Patriarch Kirill`: a one-word label)."""
    before: Dict[str, Set[tuple]] = {}
    lasts: Set[str] = set()
    for doc in transcripts:
        for turn in doc["turns"]:
            words = turn["speaker"].split()
            if not words:
                continue
            lasts.add(words[-1].lower())
            if len(words) > 1 and words[-2].isalpha() and words[-2].istitle():
                before.setdefault(words[-2].lower(), set()).add((doc["doc_id"],
                                                                 words[-1].lower()))
    return sorted(w for w, uses in before.items()
                  if w not in lasts and len({s for _, s in uses}) >= min_surnames
                  and len({d for d, _ in uses}) >= min_docs)


def _not_first_names(speakers: Path, common_words: Path) -> Collection[str]:
    """Words that the turn rules take for no name: the function words and titles of the
    speaker book and the restorer's common words. A speaker field's word among them is no
    first name (the Census list is taken whole)."""
    from .turns import SpeakerBook

    book = SpeakerBook.from_file(speakers)
    common = set(json.loads(common_words.read_text(encoding="utf-8")))
    return set(book.function_words) | set(book.titles) | common


def census_dir() -> Path:
    try:
        import names
    except ImportError as err:  # pragma: no cover - a build-time tool
        raise SystemExit("pip install names==0.3.0 (the Census 1990 name files), or give "
                         "--census DIR") from err
    return Path(names.__file__).parent


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="list", required=True)
    fn = sub.add_parser("first-names", help="common first names that are no common surnames")
    fn.add_argument("--census", type=Path, default=None,
                    help="folder of dist.male.first, dist.female.first, dist.all.last")
    fn.add_argument("--first-top", type=int, default=1000)
    fn.add_argument("--surname-top", type=int, default=20000)
    fn.add_argument("--transcripts", type=Path, nargs="*", default=[],
                    help="punctuated transcripts (../shared/data/transcripts/*.jsonl) whose "
                         "speaker fields add their first names")
    fn.add_argument("--split", default="train", help="the transcripts' split to read")
    fn.add_argument("--given-ratio", type=float, default=20.0,
                    help="with --transcripts, also the common first names that are common "
                         "surnames but borne as first names this many times as often; 0: none")
    fn.add_argument("--min-surnames", type=int, default=2)
    fn.add_argument("--min-docs", type=int, default=2)
    fn.add_argument("--speakers", type=Path, default=Path("configs/speakers.yaml"))
    fn.add_argument("--common-words", type=Path,
                    default=Path("models/restorer/common_words.json"))
    fn.add_argument("--out", type=Path, default=Path("configs/first_names.json"))
    mo = sub.add_parser("modifiers", help="WordNet's adjectives that are no nouns, and adverbs")
    mo.add_argument("--out", type=Path, default=Path("configs/modifiers.json"))
    a = ap.parse_args(argv)
    if a.list == "modifiers":
        lists = modifiers()
        a.out.write_text(json.dumps(lists, indent=0) + "\n", encoding="utf-8")
        print(f"{len(lists['adjectives'])} adjectives and {len(lists['adverbs'])} adverbs "
              f"written to {a.out}")
        return
    census = a.census or census_dir()
    words = first_names(census, a.first_top, a.surname_top)
    if a.transcripts:
        from .evaluate import select

        taken = _not_first_names(a.speakers, a.common_words)
        docs = [doc for path in a.transcripts for doc in select(path, a.split, 0)]
        found = speaker_first_names(docs, a.min_surnames, a.min_docs)
        added = [w for w in found if w not in taken and w not in words]
        print(f"{len(added)} first names from the speakers of the {a.split} transcripts: "
              + " ".join(added))
        # names borne mostly as first names, that the transcripts write as names only: never
        # in lower case, never as a speaker's surname, and used at all where WordNet lists
        # them as a word (`brandy`, `dawn`)
        lower, capital, lasts = written_forms(docs)
        lemmas = wordnet_lemmas()
        given = [w for w in mostly_given_names(census, a.first_top, a.surname_top,
                                               a.given_ratio)
                 if w not in taken and w not in lower and w not in lasts
                 and (w in capital or w not in lemmas)]
        print(f"{len(given)} first names that are surnames too, but seldom: " + " ".join(given))
        words = sorted(set(words) | set(added) | set(given))
    a.out.write_text(json.dumps(words, indent=0) + "\n", encoding="utf-8")
    print(f"{len(words)} first names written to {a.out}")


if __name__ == "__main__":
    main()
