"""Names for the random shape: seeded words plus the few conventions the spec promises.

Every decision is drawn from a `Draw`, made from (shape seed, context). A context is one kind of
thing being shaped (e.g. `uploads`, `rows`), so what one context draws never depends on which
other contexts were drawn before, or on request order.
"""

from __future__ import annotations

import random

from lac_connector.sandbox import WordGenerator

# A random word never contains these, so it can neither look like a convention (`id`, `_key`,
# `name`, `account`, `total`, `more`, ...) nor carry a meaning word by accident.
RESERVED = (
    "id", "key", "ref", "name", "title", "label", "code", "acct", "account", "number", "num",
    "net", "vat", "tax", "gross", "total", "base", "output", "input", "amount", "value", "balance",
    "cents", "points", "basis", "date", "file", "more", "offset", "limit", "count", "sum", "rate",
    "revenue", "expense", "result", "cash", "pay", "pension", "salary", "period", "month", "year",
    "row", "line", "kind", "type", "status", "role", "run", "tag", "path", "item", "list", "sha",
    "size", "seq", "meta", "page", "has", "opening", "closing", "draft", "price",
)  # fmt: skip

# Meaning words with more than one rendering; other words of a canonical name are kept as they are.
MEANINGS = {
    "vat": ("vat", "tax"),
    "gross": ("gross", "total"),
    "amount": ("amount", "value", "balance"),
    "expenses": ("expenses", "expense"),
}
ACCOUNT_CODE_WORDS = ("account", "acct", "code", "number")
ACCOUNT_NAME_WORDS = ("name", "title", "label")
KEY_SUFFIXES = ("_id", "_key", "_ref")


class Draw:
    """Seeded random choices and distinct words for one context."""

    def __init__(self, seed: int, context: str):
        self.rng = random.Random(f"shape|{seed}|{context}")
        self.words = WordGenerator(f"{seed}|{context}", avoid=RESERVED)

    def word(self) -> str:
        return self.words.word()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options):
        return self.rng.choice(options)

    def _with_word(self, *parts: str) -> str:
        """`parts` joined by `_`, with a random word in front, at the end, between, or nowhere."""
        parts = list(parts)
        at = self.rng.randint(0, len(parts) + 1)
        if at <= len(parts):
            parts.insert(at, self.word())
        return "_".join(parts)

    def money(self, canonical: str) -> str:
        """A `_cents` name keeping the meaning words of `canonical` (e.g. `output_vat_cents`)."""
        stem = canonical.removesuffix("_cents")
        tokens = [self.pick(MEANINGS[t]) if t in MEANINGS else t for t in stem.split("_")]
        return self._with_word(*tokens) + "_cents"

    def amount(self, meanings: tuple[str, ...] = ("amount", "value", "balance")) -> str:
        """A `_cents` name for a plain amount."""
        return self._with_word(self.pick(meanings)) + "_cents"

    def rate(self) -> str:
        """A `_basis_points` name (`vorsk_basis_points`, `rate_basis_points`, ...)."""
        pattern = self.pick(("{w}", "{w}_rate", "rate", "vat_{w}"))
        return pattern.replace("{w}", self.word()) + "_basis_points"

    def account_code(self) -> str:
        return self._with_word(self.pick(ACCOUNT_CODE_WORDS))

    def account_name(self) -> str:
        return self._with_word(self.pick(ACCOUNT_NAME_WORDS))

    def key(self, param: str | None) -> str:
        """A name the key conventions find: `id`, the path parameter's name, or `*_id/_key/_ref`."""
        patterns = ["id", "{w}{suffix}", "{w}{suffix}"] + (["{param}", "{w}_{param}"] if param else [])
        pattern = self.pick(patterns)
        if "{w}" in pattern:
            pattern = pattern.replace("{w}", self.word())
        return pattern.replace("{suffix}", self.pick(KEY_SUFFIXES)).replace("{param}", param or "")

    def containing(self, word: str) -> str:
        """A name containing `word` plus maybe a random word (`total`, `vorsk_total`, ...)."""
        return self._with_word(word)
