"""Reading grade of an aid's prose: Flesch–Kincaid and SMOG, and the sentences to rewrite first.

Syllables come from the CMU Pronouncing Dictionary (one vowel phone = one syllable) and a
small spelling rule. aidpress ships only the dictionary's counts that the rule gets wrong
(aidpress/data/syllables.txt, made by tools/make_syllable_table.py, under CMU's licence in
aidpress/data/CMUDICT-LICENSE): a word in that table takes its count, every other word the
rule's, which gives the dictionary's count for every word the dictionary holds. Nothing is
downloaded; the table is read once, on first use.

Which texts are prose is the caller's choice (`aidpress.commands.check.prose`); here a text
is split into sentences, and a short piece with no closing full stop, question or exclamation
mark ("Medical history & contraindications") is a label, not a sentence, and is not graded.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

# A piece that does not end like a sentence and has at most this many words is a label.
LABEL_WORDS = 5
# A long word has this many syllables or more (SMOG's "polysyllable").
LONG_SYLLABLES = 3
# Ranking weight of a long word against one more word in a sentence. In Flesch–Kincaid one
# more word adds 0.39 / sentences to the grade; a three-syllable word in place of an average
# one (≈1.5 syllables) adds 11.8 × 1.5 / words, which at ≈15 words a sentence is
# 1.18 / sentences: a long word weighs about as much as three more words.
LONG_WORD_WEIGHT = 3
FINDINGS = 3

ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "dr.", "mr.", "mrs.", "ms.", "approx.", "no.")
# A sentence ends at . ! or ? (and any closing quote or bracket) before a capital, a digit
# or an opening quote: a quoted title that ends in "?" inside a sentence does not end it.
_SENTENCE_END = re.compile(r"([.!?][\"”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
# Syllables of numbers as read aloud: zero … nineteen, then twenty, thirty … ninety.
_UNITS = (2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2)
_TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)


@dataclass(frozen=True)
class Finding:
    """A sentence worth rewriting, and what makes it hard."""

    sentence: str
    words: int
    long_words: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.words + LONG_WORD_WEIGHT * len(self.long_words)

    @property
    def reason(self) -> str:
        length = f"{self.words} word{'s' if self.words != 1 else ''}"
        if not self.long_words:
            return length
        shown = ", ".join(self.long_words[:4]) + (", …" if len(self.long_words) > 4 else "")
        return f"{length}; {len(self.long_words)} long word{'s' if len(self.long_words) != 1 else ''}: {shown}"


@dataclass(frozen=True)
class Readability:
    """The aid's reading grade and the sentences that raise it most."""

    grade: float  # the project's measure: the higher of Flesch–Kincaid and SMOG
    flesch_kincaid: float
    smog: float
    sentences: int
    words: int
    syllables: int
    long_words: int
    hardest: tuple[Finding, ...]


def measure(texts: list[str], findings: int = FINDINGS) -> Readability | None:
    """Grade the sentences of `texts` taken together; None when there is no sentence to grade."""
    graded = [s for text in texts for s in sentences(text)]
    if not graded:
        return None
    counted = [[(w, syllables(w)) for w in words(s)] for s in graded]
    n_sentences, n_words = len(graded), sum(len(ws) for ws in counted)
    n_syllables = sum(n for ws in counted for _, n in ws)
    n_long = sum(n >= LONG_SYLLABLES for ws in counted for _, n in ws)
    fk = flesch_kincaid(n_words, n_sentences, n_syllables)
    sm = smog(n_long, n_sentences)
    return Readability(round(max(fk, sm), 1), round(fk, 1), round(sm, 1), n_sentences, n_words, n_syllables,
                       n_long, tuple(rank(graded, counted)[:findings]))


def flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    """Kincaid et al. (1975): 0.39 × words per sentence + 11.8 × syllables per word − 15.59."""
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def smog(long_words: int, sentences: int) -> float:
    """McLaughlin (1969), scaled from his 30-sentence sample to any number of sentences."""
    return 1.0430 * math.sqrt(long_words * 30 / sentences) + 3.1291


def rank(graded: list[str], counted: list[list[tuple[str, int]]]) -> list[Finding]:
    """Sentences by words plus weighted distinct long words, hardest first; each sentence once."""
    seen, out = set(), []
    for sentence, ws in zip(graded, counted):
        key = " ".join(sentence.lower().split()).rstrip(".!?")
        if key in seen:
            continue
        seen.add(key)
        long_words: dict[str, str] = {}
        for word, n in ws:
            if n >= LONG_SYLLABLES:
                long_words.setdefault(word.lower(), word)
        out.append(Finding(sentence, len(ws), tuple(long_words.values())))
    return sorted(out, key=lambda f: -f.score)  # stable: ties keep the order of the text


# ── sentences and words ─────────────────────────────────────────────────────────────


def sentences(text: str) -> list[str]:
    """The sentences of one text; labels (short pieces that do not end like a sentence) left out."""
    text = " ".join(text.split())
    for abbreviation in ABBREVIATIONS:  # "e.g. the back" is one sentence
        text = re.sub(re.escape(abbreviation) + r"(?= )", abbreviation.replace(".", "\0"), text, flags=re.I)
    out = []
    for piece in _SENTENCE_END.sub("\\1\n", text).split("\n"):
        piece = piece.replace("\0", ".").strip()
        if not words(piece):
            continue
        if piece.rstrip("\"”’)]").endswith((".", "!", "?")) or len(words(piece)) > LABEL_WORDS:
            out.append(piece)
    return out


def words(text: str) -> list[str]:
    """Words as a reader counts them: a hyphenated word is one, "ice/heat" two, "&" and "→" none."""
    return _WORD.findall(text)


# ── syllables ───────────────────────────────────────────────────────────────────────


def syllables(word: str, known: Mapping[str, int] | None = None, spoken: str | None = None) -> int:
    """Syllables of one word: the dictionary's count where the rule would be wrong, else the
    rule's. `known` and `spoken` stand in for the shipped table's two parts (`dictionary()`,
    `spoken_words()`) when tools/make_syllable_table.py builds them."""
    if known is None:
        known = dictionary()
    word = word.replace("’", "'")
    if "-" in word:
        return sum(syllables(part, known, spoken) for part in word.split("-") if part)
    if word.isdigit():
        return number_syllables(int(word)) if len(word) <= 3 else sum(_UNITS[int(d)] for d in word)
    if "." in word:  # an abbreviation read letter by letter: "e.g."
        return sum(3 if c in "wW" else 1 for c in word if c.isalpha())
    lower = word.lower()
    count = known.get(lower)
    if count is not None:
        return count
    if "'" in lower:  # "patient's", "needling's"
        return syllables(lower.split("'")[0], known, spoken)
    count = guess(lower)
    if word.isupper() and len(word) <= 5:  # an initialism read letter by letter: "LTR", not "NOT"
        letters = sum(3 if c == "W" else 1 for c in word)
        if letters != count and f"\n{lower}\n" not in (spoken_words() if spoken is None else spoken):
            return letters
    return count


def number_syllables(n: int) -> int:
    """Syllables of 0–999 read aloud: 48 is "for-ty-eight" (3), 120 "one hun-dred twen-ty" (5)."""
    hundreds, rest = divmod(n, 100)
    spoken = (_UNITS[hundreds] + 2) if hundreds else 0
    if rest or not hundreds:
        spoken += _UNITS[rest] if rest < 20 else _TENS[rest // 10] + (_UNITS[rest % 10] if rest % 10 else 0)
    return spoken


TABLE = os.path.join(os.path.dirname(__file__), "data", "syllables.txt")


@functools.cache  # one value (no arguments); kept for the life of the process
def _table() -> dict[str, str]:
    """The shipped table's blocks by name, unsplit. The file is a comment header, then blocks:
    a line "=NAME", then words one to a line. Grouping writes each count once, and a block
    loads with one split."""
    with open(TABLE, encoding="utf-8") as file:
        blocks = file.read().split("\n=")[1:]
    return {name: listed for name, _, listed in (block.partition("\n") for block in blocks)}


@functools.cache  # one value (no arguments); kept for the life of the process
def dictionary() -> dict[str, int]:
    """The CMU Pronouncing Dictionary's syllable counts (first pronunciation) of the words the
    spelling rule counts wrong (blocks "=1", "=2", …): about 12,000 of its 126,000 words."""
    counts: dict[str, int] = {}
    for name, listed in _table().items():
        if name.isdigit():
            counts.update(dict.fromkeys(listed.split(), int(name)))
    return counts


@functools.cache  # one value (no arguments); kept for the life of the process
def spoken_words() -> str:
    """The dictionary's words of five letters or fewer that the rule counts right but letters
    read out would not (block "=spoken"), each between newlines: in capitals ("NOT", "STOP")
    they are still words. Searched as text: a handout has few words in capitals, and one
    search (≈0.1 ms) costs far less than making a set of 21,000 words (≈3 ms)."""
    return "\n" + _table()["spoken"].strip("\n") + "\n"


_VOWELS = re.compile(r"[aeiouy]+")
# Vowel pairs read as two syllables: my-o, medi-a, radi-o, vide-o, individu-al, flu-id, qui-et, do-ing.
_TWO_VOWELS = re.compile(r"(?<=[^aeiouw])y(?=[aeiou])|(?<![cgst])i[aou]|(?<=[cgst])io(?![aeiouny])|eo|(?<![gq])u[aio]|ie(?=t)|(?<=[aeiou])i(?=ng$)")
# Prefixes read apart from the vowel after them: contra-indication, ultra-sound.
_PREFIX = re.compile(r"^(anti|contra|extra|intra|ultra)(?=[a-z]{3})")


def guess(word: str) -> int:
    """Syllables from spelling, for words the dictionary lacks: vowel groups, less silent
    endings (make, helped, takes, soreness), plus vowel pairs and prefixes read apart
    (media, fluid, physio-, contra-)."""
    word = word.lower()
    prefix = _PREFIX.match(word)
    if prefix:
        return 2 + guess(word[prefix.end():])
    count = len(_VOWELS.findall(word)) + len(_TWO_VOWELS.findall(word))
    if re.search(r"[^aeiouyl]e(?:ness|ments?|ly|ful|less)$", word):
        count -= 1  # soreness, safely: the silent e of the stem
    if re.search(r"[^aeiouy]e$", word) and not re.search(r"[^aeiouy]le$", word):
        count -= 1  # make, phase; but table, simple
    elif re.search(r"[^aeiouytd]ed$", word) or re.search(r"[^aeiouyszxgch]es$", word):
        count -= 1  # helped, takes; but needed, causes, places
    return max(count, 1)
