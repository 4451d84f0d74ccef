"""Mapping discovery: which loaded column holds each field the `int_lac__*` models need.

The API returns sheet rows, statement lines and most invoice header fields "as-is", so their
column names depend on the server. For every field of `fields.TABLES`, in this order:

1. `config`: the user's `[transforms.mapping.<table>] <field> = "<column>"`;
2. `columns_metadata`: the sheet's own `columns` (table `sheet_columns`) describe the column with
   the field's type (`date`, `money`, `code`, ...) or a label carrying the field's meaning words;
3. `convention`: the spec's conventions: money is an integer `*_cents` column whose name carries a
   meaning word (net, vat/tax, gross/total, base, output, input, amount, ...); rates are integer
   `*_basis_points`; dates hold `YYYY-MM-DD` values; account codes are short digit strings in a
   column named like account/acct/code/number, account names sit next to them named like
   name/title/label; a VAT code column holds upper-case codes; a cash flow line key is the text
   the lines without an account carry;
4. `known_name`: names common in accounting APIs or fixed by the spec.

Each stage only considers columns whose values fit the field (an account code must hold digits, a
date dates, money integers in a `*_cents` column) and that no earlier field took. A stage that
finds several candidates narrows the next stages to them; if none settles it the field is
`ambiguous`, and with no candidate at all `unresolved`: its column stays NULL and the caller warns.
Nothing here knows a source's code or our sandbox's names.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from dlt.common.normalizers.naming.snake_case import NamingConvention

from lac_connector.kit.errors import ConfigError
from lac_connector.transform.fields import Field, TableFields

CONFIG = "config"
COLUMNS_METADATA = "columns_metadata"
CONVENTION = "convention"
KNOWN_NAME = "known_name"
UNRESOLVED = "unresolved"
AMBIGUOUS = "ambiguous"

INTERNAL_PREFIXES = ("_dlt_", "_lac_")
NOTHING_TO_MAP = "not found: "  # detail of a field whose table is not loaded or holds no rows
# Types a sheet's column metadata may declare, by what they mean for a field kind.
DECLARED_TYPES = {
    "date": {"date", "day"},
    "money": {"money", "amount", "currency", "cents", "monetary"},
    "rate": {"rate", "percent", "percentage", "basis_points"},
    "account_code": {"account", "code", "account_code"},
    "code": {"code", "enum", "text", "string", "str"},
    "tax_code": {"code", "enum", "text", "string", "str"},
    "text": {"text", "string", "str"},
    "account_name": {"text", "string", "str"},
    "line_key": {"text", "string", "str", "key"},
    "number": {"integer", "int", "number"},
    "decimal": {"number", "decimal", "numeric", "quantity"},
    "flag": {"boolean", "bool", "flag"},
}
KNOWN_TYPE_WORDS = set().union(*DECLARED_TYPES.values()) | {"month", "list", "array", "object", "id"}
# Kinds resolved before others, so that specific fields take their columns first.
KIND_ORDER = ("money", "rate", "date", "account_code", "account_name", "code", "tax_code", "line_key",
              "number", "decimal", "flag", "text")  # fmt: skip
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ACCOUNT = re.compile(r"^\d{2,10}$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
_TAX_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,15}$")  # USt19, VSt7, RC19, S255, EU_SALE
_INTEGER_TYPES = {"bigint", "decimal", "wei"}
_NAMING = NamingConvention()


@dataclass(frozen=True)
class Decision:
    """How one field of one loaded table was mapped (a row of `transform_mapping`)."""

    table: str
    field: str
    columns: tuple[str, ...]  # empty when unresolved/ambiguous; several are coalesced
    method: str
    detail: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.columns)

    @property
    def column_name(self) -> str | None:
        return ", ".join(self.columns) or None


@dataclass(frozen=True)
class ColumnMeta:
    """What the sheet's `columns` metadata says about one loaded column."""

    declared_types: frozenset[str] = frozenset()
    label_words: frozenset[str] = frozenset()


class TableProbe(Protocol):
    """A loaded table as discovery sees it (implemented over the pipeline's SQL client)."""

    table: str
    columns: Mapping[str, str | None]  # loaded column -> dlt data type, in schema order
    row_count: int

    def samples(self, column: str) -> Sequence[str]:
        """Up to a few dozen non-NULL values of `column`, as text."""

    def count_rows(self, present: Sequence[str], absent: Sequence[str] = ()) -> int:
        """Rows where every `present` column is non-NULL and every `absent` column NULL."""

    def count_later(self, earlier: str, later: str) -> tuple[int, int]:
        """(rows where `later` < `earlier`, rows where `later` > `earlier`), comparing as dates."""

    def column_metadata(self) -> Mapping[str, ColumnMeta]:
        """Loaded column -> what the sheet's columns metadata declares about it."""

    def count_outside(self, column: str, table: str, key: str) -> int | None:
        """Distinct non-NULL values of `column` not among `table.key`; None if that is not loaded."""


def words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"[^a-z0-9]+", name.lower()) if w)


@dataclass
class _Column:
    name: str
    data_type: str | None
    probe: TableProbe
    _samples: Sequence[str] | None = field(default=None, repr=False)

    @property
    def words(self) -> frozenset[str]:
        return words(self.name)

    @property
    def leaf(self) -> str:
        return self.name.rsplit("__", 1)[-1]

    @property
    def parent(self) -> str:
        return self.name.rsplit("__", 1)[0] if "__" in self.name else ""

    @property
    def samples(self) -> Sequence[str]:
        if self._samples is None:
            self._samples = self.probe.samples(self.name)
        return self._samples

    def all_samples(self, pattern: re.Pattern[str]) -> bool:
        return bool(self.samples) and all(pattern.match(v) for v in self.samples)

    @property
    def integer(self) -> bool:
        return self.data_type in _INTEGER_TYPES

    @property
    def text(self) -> bool:
        return self.data_type in ("text", None)

    def holds_dates(self) -> bool:
        if self.data_type == "date":
            return True
        return self.text and self.all_samples(_DATE) and all(_valid_date(v) for v in self.samples)

    def holds_account_codes(self) -> bool:
        return (self.text or self.integer) and self.all_samples(_ACCOUNT)

    def holds_codes(self) -> bool:
        return self.text and self.all_samples(_CODE)

    def holds_tax_codes(self) -> bool:
        return self.text and self.all_samples(_TAX_CODE) and not self.holds_dates()

    def holds_words(self) -> bool:
        """Text that is neither dates nor digit strings."""
        return self.text and bool(self.samples) and not self.holds_dates() and not self.holds_account_codes()


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _fits(column: _Column, f: Field, money_suffix: str = "_cents") -> bool:
    """Whether the column's name suffix, type and values can hold `f` at all."""
    if column.words & set(f.not_words):
        return False
    kind = f.kind
    if kind == "money":
        return column.integer and column.name.endswith(money_suffix)
    if kind == "rate":
        return column.integer and column.name.endswith("_basis_points")
    if kind == "date":
        return column.holds_dates()
    if kind == "account_code":
        return column.holds_account_codes() and not column.name.endswith(
            ("_cents", "_basis_points", money_suffix)
        )
    if kind == "code":
        return column.holds_codes()
    if kind == "tax_code":
        return column.holds_tax_codes()
    if kind in ("account_name", "line_key"):
        return column.holds_words()
    if kind == "text":
        return column.text
    if kind == "number":
        return column.integer
    if kind == "decimal":
        return column.text or column.data_type in ("decimal", "double", "bigint")
    if kind == "flag":
        return column.data_type == "bool"
    raise ValueError(f"unknown field kind {kind!r}")


def discover(
    spec: TableFields,
    probe: TableProbe | None,
    configured: Mapping[str, str] | None = None,
) -> list[Decision]:
    """One decision per field of `spec` (in `spec.fields` order); `probe` None = table not loaded."""
    configured = dict(configured or {})
    unknown = sorted(set(configured) - {f.name for f in spec.fields})
    if unknown:
        raise ConfigError(
            f"[transforms.mapping.{spec.table}] has unknown field(s) {', '.join(unknown)}; "
            f"choose from {', '.join(f.name for f in spec.fields)}"
        )
    if probe is None:
        return [Decision(spec.table, f.name, (), UNRESOLVED, f"{NOTHING_TO_MAP}{spec.table} is not loaded")
                for f in spec.fields]  # fmt: skip
    discovery = _Discovery(spec, probe, configured)
    if probe.row_count == 0:  # no values to go by: only the user's choices stand
        return discovery.run(configured_only=True)
    return discovery.run()


class _Discovery:
    def __init__(self, spec: TableFields, probe: TableProbe, configured: Mapping[str, str]):
        self.spec = spec
        self.probe = probe
        self.configured = configured
        self.columns = {
            name: _Column(name, data_type, probe)
            for name, data_type in probe.columns.items()
            if name not in spec.keys and not name.startswith(INTERNAL_PREFIXES) and "__v_" not in name
        }
        self.taken: set[str] = set()
        self.decisions: dict[str, Decision] = {}
        self._metadata: Mapping[str, ColumnMeta] | None = None

    @property
    def seen(self) -> str:
        return ", ".join(self.columns) or "none"

    @property
    def metadata(self) -> Mapping[str, ColumnMeta]:
        if self._metadata is None:
            self._metadata = self.probe.column_metadata() if self.spec.sheet_tab else {}
        return self._metadata

    def run(self, configured_only: bool = False) -> list[Decision]:
        for f in self.spec.fields:  # the user's choices first: they take their columns
            if f.name in self.configured:
                self._decide(self._from_config(f))
        if configured_only:
            empty = f"{NOTHING_TO_MAP}{self.spec.table} holds no rows"
            return [self.decisions.get(f.name) or Decision(self.spec.table, f.name, (), UNRESOLVED, empty)
                    for f in self.spec.fields]  # fmt: skip
        pending = [f for f in self.spec.fields if f.name not in self.decisions]
        for f in sorted(pending, key=lambda f: KIND_ORDER.index(f.kind)):
            self._decide(self._resolve(f))
        self._order_dates()
        return [self.decisions[f.name] for f in self.spec.fields]

    def _decide(self, decision: Decision) -> None:
        self.decisions[decision.field] = decision
        self.taken.update(decision.columns)

    def _from_config(self, f: Field) -> Decision:
        chosen = tuple(c.strip() for c in self.configured[f.name].split(",") if c.strip())
        missing = [c for c in chosen if c not in self.probe.columns]
        if missing:
            raise ConfigError(
                f"[transforms.mapping.{self.spec.table}] {f.name} = {self.configured[f.name]!r}: "
                f"{', '.join(missing)} is not a loaded column of {self.spec.table} (columns: {self.seen})"
            )
        return Decision(self.spec.table, f.name, chosen, CONFIG)

    def _resolve(self, f: Field) -> Decision:
        candidates = [
            c
            for c in self.columns.values()
            if c.name not in self.taken and _fits(c, f, self.spec.money_suffix)
        ]
        if f.values_in and len(candidates) > 1:  # values that are not all found there do not fit
            table, column = f.values_in
            found_in = [c for c in candidates if self.probe.count_outside(c.name, table, column) in (0, None)]
            candidates = found_in or candidates
        narrowed: list[_Column] | None = None
        for method, stage in (
            (COLUMNS_METADATA, self._by_metadata),
            (CONVENTION, self._by_convention),
            (KNOWN_NAME, self._by_known_name),
        ):
            found = stage(f, narrowed if narrowed is not None else candidates)
            if len(found) == 1:
                return Decision(self.spec.table, f.name, (found[0].name,), method)
            if len(found) > 1:
                if f.coalesce and method == CONVENTION and self._disjoint(found):
                    names = tuple(c.name for c in found)
                    return Decision(self.spec.table, f.name, names, method, "never set on the same row")
                narrowed = found
        if narrowed:
            names = ", ".join(c.name for c in narrowed)
            return Decision(
                self.spec.table,
                f.name,
                (),
                AMBIGUOUS,
                f"ambiguous in {self.spec.table} (candidates: {names})",
            )
        detail = f"not found in {self.spec.table} (columns seen: {self.seen})"
        return Decision(
            self.spec.table, f.name, (), UNRESOLVED, f"{detail}; {f.fallback}" if f.fallback else detail
        )

    # ---- stages ----------------------------------------------------------------------------

    def _by_metadata(self, f: Field, candidates: Sequence[_Column]) -> list[_Column]:
        found = []
        for column in candidates:
            meta = self.metadata.get(column.name)
            if meta is None:
                continue
            typed = bool(meta.declared_types & DECLARED_TYPES[f.kind])
            labelled = bool(meta.label_words & set(f.words))
            if (
                f.kind in ("date", "rate", "account_code")
                and typed
                or labelled
                and (typed or not meta.declared_types)
            ):
                found.append(column)
        return self._specific(f, found, lambda c: self.metadata[c.name].label_words)

    def _by_convention(self, f: Field, candidates: Sequence[_Column]) -> list[_Column]:
        if f.kind in ("date", "rate"):
            named = [c for c in candidates if c.words & set(f.words)]
            return named if named and len(candidates) > 1 else list(candidates)
        if f.kind == "code":
            named = [c for c in candidates if c.words & set(f.words)]
            return named or list(candidates)  # the only column holding upper-case codes
        if f.kind == "tax_code":  # short tokens are common (currencies, types): the name must say so
            return [c for c in candidates if c.words & set(f.words)]
        if f.kind == "line_key":
            return self._line_keys(candidates)
        found = [c for c in candidates if c.words & set(f.words)]
        if f.kind == "money":
            found = self._specific(f, found, lambda c: c.words)
            if len(found) > 1:  # a group's name (`open.total`, `open.remaining`) says less than the leaf
                found = [c for c in found if words(c.leaf) & set(f.words)] or found
        if f.kind == "account_code" and len(found) > 1 and not (f.coalesce and self._disjoint(found)):
            found = [c for c in found if c.words & {"account", "acct"}] or found
        if f.kind == "account_name" and len(found) > 1:
            found = self._next_to_account(found) or found
        return found

    def _by_known_name(self, f: Field, candidates: Sequence[_Column]) -> list[_Column]:
        for known in f.known:
            exact = [c for c in candidates if c.name == known]
            if exact:
                return exact
            leaf = [c for c in candidates if c.leaf == known]
            if leaf:
                return leaf
        return []

    # ---- helpers ---------------------------------------------------------------------------

    def _specific(
        self, f: Field, found: list[_Column], words_of: Callable[[_Column], Iterable[str]]
    ) -> list[_Column]:
        """Drop columns whose words also name another field of the same kind (`total_vat_cents`)."""
        others = [set(o.words) for o in self.spec.fields if o.kind == f.kind and o.name != f.name]
        return [c for c in found if not any(set(words_of(c)) & other for other in others)]

    def _disjoint(self, columns: Sequence[_Column]) -> bool:
        names = [c.name for c in columns]
        return all(self.probe.count_rows([a, b]) == 0 for i, a in enumerate(names) for b in names[i + 1 :])

    def _account_column(self) -> str | None:
        decision = self.decisions.get("account_code")
        return decision.columns[0] if decision and len(decision.columns) == 1 else None

    def _next_to_account(self, found: list[_Column]) -> list[_Column]:
        """Names filled on the rows that have an account code, preferably beside it."""
        account = self._account_column()
        if account is None:
            return []
        together = [c for c in found if self.probe.count_rows([account, c.name]) > 0]
        parent = self.columns[account].parent if account in self.columns else account.rsplit("__", 1)[0]
        beside = [c for c in together if c.parent == parent]
        return beside or together

    def _line_keys(self, candidates: Sequence[_Column]) -> list[_Column]:
        """The text lines without an account carry (cash flow lines: `opening_cash`, ...)."""
        account = self._account_column()
        if account is None:
            return []
        return [c for c in candidates if self.probe.count_rows([c.name], absent=[account]) > 0]

    def _order_dates(self) -> None:
        """Two date fields left ambiguous over the same two columns (issue and due date) are told
        apart by their values: the later of the two dates on every row is the due date."""
        pairs = [
            (a.name, b.name)
            for a in self.spec.fields
            for b in self.spec.fields
            if a.kind == b.kind == "date" and (a.name, b.name) == ("issue_date", "due_date")
        ]
        for earlier_field, later_field in pairs:
            first, second = self.decisions[earlier_field], self.decisions[later_field]
            if first.method != AMBIGUOUS or second.method != AMBIGUOUS:
                continue
            options = [c for c in self.columns if c not in self.taken and self.columns[c].holds_dates()]
            if len(options) != 2:
                continue
            a, b = options
            b_before_a, b_after_a = self.probe.count_later(a, b)
            if b_after_a and not b_before_a:
                earlier, later = a, b
            elif b_before_a and not b_after_a:
                earlier, later = b, a
            else:
                continue
            detail = "by value: the later date on every row is the due date"
            self._decide(Decision(self.spec.table, earlier_field, (earlier,), CONVENTION, detail))
            self._decide(Decision(self.spec.table, later_field, (later,), CONVENTION, detail))


def metadata_from_rows(
    rows: Iterable[Mapping[str, object]], loaded_columns: Iterable[str]
) -> dict[str, ColumnMeta]:
    """Read a sheet's `columns` entries (as loaded into `sheet_columns`) into per-column metadata.

    An entry describes the loaded column one of its values names (a dotted path like
    `amounts.net_cents` names `amounts__net_cents`; a plain name may also name a column's last
    segment when only one column ends in it). Its other values that are type words (`date`,
    `money`, ...) are declared types; the words of the rest (labels, titles) are label words.
    """
    loaded = list(loaded_columns)
    by_leaf: dict[str, list[str]] = {}
    for name in loaded:
        by_leaf.setdefault(name.rsplit("__", 1)[-1], []).append(name)
    found: dict[str, ColumnMeta] = {}
    for entry in rows:
        values = [str(v) for v in entry.values() if isinstance(v, str) and v.strip()]
        target, rest = None, []
        for value in values:
            column = _column_named(value, loaded, by_leaf) if target is None else None
            if column is not None:
                target = column
            else:
                rest.append(value)
        if target is None:
            continue
        declared = {v.strip().lower() for v in rest if v.strip().lower() in KNOWN_TYPE_WORDS}
        label_words = frozenset().union(*(words(v) for v in rest if v.strip().lower() not in declared))
        previous = found.get(target, ColumnMeta())
        found[target] = ColumnMeta(
            previous.declared_types | frozenset(declared), previous.label_words | label_words
        )
    return found


def _column_named(value: str, loaded: Sequence[str], by_leaf: Mapping[str, list[str]]) -> str | None:
    """The loaded column a metadata value names: a dotted path as dlt flattens it, or a last segment."""
    segments = [s for s in value.strip().split(".") if s]
    if not segments:
        return None
    normalized = "__".join(_NAMING.normalize_identifier(s) for s in segments)
    if normalized in loaded:
        return normalized
    leaves = by_leaf.get(normalized, [])
    return leaves[0] if len(leaves) == 1 else None
