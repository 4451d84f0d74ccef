"""Deterministic pronounceable nonsense words ("tolvik", "bramsy") for names no one can mirror.

A `WordGenerator` built from the same seed yields the same words in the same order, on any
machine and Python 3 build (string seeds are hashed with SHA-512 by `random.Random`). Words are
2 or 3 syllables of lower-case ASCII letters; `avoid` lists fragments a word must not contain
(e.g. `id` or `net`, so a random name never looks like a conventional one by accident).
"""

from __future__ import annotations

import random
from collections.abc import Iterable

_ONSETS = ("b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z")
_CLUSTERS = ("br", "dr", "fl", "gr", "kl", "pl", "sk", "sn", "st", "tr", "vr", "zw")
_VOWELS = ("a", "e", "i", "o", "u", "a", "o", "i")
_MIDDLE_CODAS = ("", "", "l", "m", "n", "r", "s", "k", "v")
_FINALS = ("", "", "k", "l", "m", "n", "r", "s", "x", "sk", "nd", "rt", "sy", "bo", "ka", "vik", "lum", "ny")
_MAX_TRIES = 1000


class WordGenerator:
    """Seeded source of distinct nonsense words."""

    def __init__(self, seed: int | str, avoid: Iterable[str] = ()):
        self._rng = random.Random(f"words|{seed}")
        self._avoid = tuple(a.lower() for a in avoid)
        self._used: set[str] = set()

    def _syllable(self) -> str:
        rng = self._rng
        onset = rng.choice(_CLUSTERS) if rng.random() < 0.25 else rng.choice(_ONSETS)
        return onset + rng.choice(_VOWELS)

    def _candidate(self) -> str:
        rng = self._rng
        word = self._syllable()
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            word += rng.choice(_MIDDLE_CODAS) + self._syllable()
        return word + rng.choice(_FINALS)

    def word(self) -> str:
        """A word not returned before by this generator and containing no `avoid` fragment."""
        for _ in range(_MAX_TRIES):
            w = self._candidate()
            if 4 <= len(w) <= 9 and w not in self._used and not any(a in w for a in self._avoid):
                self._used.add(w)
                return w
        raise RuntimeError("word generator exhausted: too many words or too many avoided fragments")

    def words(self, n: int) -> list[str]:
        """`n` distinct words."""
        return [self.word() for _ in range(n)]
