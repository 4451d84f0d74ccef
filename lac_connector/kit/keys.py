"""Which field keys a list's entries: resolved once per scope and list, never guessed silently.

Specs often leave list entries open ("returned as-is"), so the field that identifies an entry, or
names the value a request path needs, can be `id`, `output_id`, `file.filename`, ... A source
describes each list it keys with a `KeyRule` and asks a run's `KeyResolver` for the keys of a
list's entries. The key field is chosen in this order:

1. the user's setting for the list (a field name, or a dotted path such as `file.name`); a setting
   naming no field of the entries, or a field whose values repeat, is a `ConfigError`;
2. the field an earlier run chose for this scope and list (kept in the resource state), as long
   as every entry still has a distinct value in it: nothing is asked again;
3. conventions, strongest first: the rule's names (e.g. `id` and the path parameter's name) at
   the top level, then one level down (`{"package": {"output_id": ...}}`); else string fields
   ending in `_id`/`_key`/`_ref` and, for file names, fields whose values look like file names.
   A candidate must have a non-empty value in every entry, all distinct;
4. when several candidates remain, the API: the first candidate for which the source's probe (a
   GET the run needs anyway, such as the detail request) answers 200 for an entry wins. Without a
   probe, the rule's names decide by their order; other conventions are then ambiguous.

When no candidate keys every entry, a rule name that keys some of them (distinct where present)
is taken, best coverage first. An entry without a usable key is never dropped: it is keyed by a
hash of the entry, and the run logs one warning line per scope and list naming the setting to set
and notes the resource as `partial: ...` in the run report. The resolver remembers the hash keys
it handed out, so that once the key resolves (or the key field changes) the source can delete
the rows it loaded under the old keys (`Keyed.stale_keys`).
"""

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lac_connector.kit.errors import ConfigError
from lac_connector.kit.records import fingerprint
from lac_connector.kit.report import RunReport

logger = logging.getLogger("lac")

KEY_SUFFIXES = ("_id", "_key", "_ref")
# Bare generic names one level down usually name something else (an invoice's `customer.id`):
# they are tried after the specific names there.
GENERIC_NAMES = frozenset({"id", "name"})
PROBED_ENTRIES = 3  # entries a probe tries before the candidates count as refused
SHOWN_FIELDS = 20
STATE_KEY = "key_fields"
_FILE_NAME = re.compile(r"[^/\\@:]*[^/\\@:.\s]\.[A-Za-z][A-Za-z0-9]{0,9}")

Probe = Callable[[dict[str, Any], str], bool]
"""Whether the API answers 200 for `value` used as the key of `entry` (a GET, never a write)."""


def hash_key(entry: dict[str, Any]) -> str:
    """The default key of an entry no field identifies: `sha256:` and 32 hex of its content."""
    return "sha256:" + fingerprint(entry)[:32]


@dataclass(frozen=True)
class KeyRule:
    """What a source knows about one list's keys.

    `names` are the field names its spec and conventions suggest, most likely first (e.g. `id`,
    then the path parameter's name). `setting` is the user setting that overrides them;
    `describes` completes "could not tell which field ... N entries" in messages.
    """

    list_name: str
    setting: str
    names: tuple[str, ...]
    describes: str = "identifies the"
    file_names: bool = False
    ignore: frozenset[str] = frozenset()
    hash_key: Callable[[dict[str, Any]], str] = hash_key


@dataclass
class Keyed:
    """A list's entries with their keys, and what changed since the last run."""

    entries: list[dict[str, Any]]
    keys: list[str]
    hashed: list[bool]
    field: str | None  # the key field (a dotted path), None when no field keys the list
    changed: bool  # the key field differs from the one an earlier run remembered
    retired: list[str] = field(default_factory=list)  # hash keys handed out before, not any more

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any], bool]]:
        """(key, entry, keyed by a hash) per entry, in list order."""
        return iter(zip(self.keys, self.entries, self.hashed, strict=True))

    @property
    def unresolved(self) -> int:
        return sum(self.hashed)

    def stale_keys(self, remembered: Iterable[str] = ()) -> list[str]:
        """Keys whose rows must go: hash keys no entry has any more, and, when the key field changed,
        every `remembered` key (the keys rows were loaded under) that no entry has now."""
        current = set(self.keys)
        old = [*self.retired, *(remembered if self.changed else ())]
        return [key for key in dict.fromkeys(old) if key not in current]


@dataclass(frozen=True)
class Discovery:
    """What conventions and probes found: the key field, or the candidates they could not choose from."""

    field: str | None
    ambiguous: tuple[str, ...] = ()


class KeyResolver:
    """Resolves list keys for one run of one source, with the user's key settings.

    `settings` maps a rule's `setting` to the user's value (None or empty when unset); `section`
    prefixes setting names in messages (e.g. `[sources.lac]`).
    """

    def __init__(self, report: RunReport, settings: Mapping[str, str | None], section: str) -> None:
        self.report = report
        self.settings = dict(settings)
        self.section = section
        self._warned: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    def setting(self, rule: KeyRule) -> str:
        return f"{self.section} {rule.setting}"

    def resolve(
        self,
        rule: KeyRule,
        entries: Sequence[dict[str, Any]],
        *,
        resource: str,
        scope: str,
        state: dict[str, Any],
        probe: Probe | None = None,
        scope_label: str | None = None,
    ) -> Keyed:
        """Key `entries` (one listing of `rule`'s list for `scope`), remembering the field in `state`.

        `state` is the resource's state; problems are noted on `resource` in the run report.
        """
        entries = list(entries)
        records = state.setdefault(STATE_KEY, {}).setdefault(scope, {})
        record = records.get(rule.list_name)
        remembered = record.get("field") if isinstance(record, dict) else None
        configured = self.settings.get(rule.setting) or None
        discovery = Discovery(configured or remembered)
        if configured:
            self._check_setting(rule, entries, configured)
        elif entries and not (remembered and _keys_all(entries, remembered)):
            discovery = discover(rule, entries, probe)
        keyed = _key(rule, entries, discovery.field)
        keyed.changed = isinstance(record, dict) and remembered != keyed.field
        hashed = [k for k, h in zip(keyed.keys, keyed.hashed, strict=True) if h]
        previous = (record.get("hashed") or []) if isinstance(record, dict) else []
        now = set(hashed)
        keyed.retired = [k for k in previous if k not in now]
        records[rule.list_name] = {"field": keyed.field, **({"hashed": hashed} if hashed else {})}
        if keyed.unresolved:
            self._report(rule, keyed, discovery, resource, scope_label or scope)
        return keyed

    def _check_setting(self, rule: KeyRule, entries: list[dict[str, Any]], path: str) -> None:
        values = [v for v in (value_at(e, path) for e in entries) if v is not None]
        where = f"{self.setting(rule)} = {path!r}"
        if entries and not values:
            raise ConfigError(
                f"{where} names no field of the {len(entries)} {rule.list_name} entries "
                f"(fields seen: {_fields_seen(entries)})"
            )
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise ConfigError(
                    f"{where} does not identify {rule.list_name} entries: {value!r} appears "
                    f"{values.count(value)} times; name a field whose values are unique"
                )
            seen.add(value)

    def _report(
        self, rule: KeyRule, keyed: Keyed, discovery: Discovery, resource: str, scope_label: str
    ) -> None:
        """One warning line and one partial note per resource, list and scope in a run."""
        with self._lock:
            if (resource, rule.list_name, scope_label) in self._warned:
                return
            self._warned.add((resource, rule.list_name, scope_label))
        total, missing = len(keyed.entries), keyed.unresolved
        label = f"{rule.list_name} of {scope_label}"
        setting = self.setting(rule)
        self.report.note_partial(
            resource, f"{label}: {missing} of {total} entries keyed by a hash of the entry (set {setting})"
        )
        fields = _fields_seen(keyed.entries)
        if keyed.field is None:
            which = f"which of {', '.join(discovery.ambiguous)}" if discovery.ambiguous else "which field"
            logger.warning(
                "%s: could not tell %s %s %d entries; set %s (fields seen: %s)",
                label,
                which,
                rule.describes,
                total,
                setting,
                fields,
            )
        else:
            logger.warning(
                "%s: %d of %d entries have no %s, so they are keyed by a hash of the entry; "
                "set %s to a field every entry has (fields seen: %s)",
                label,
                missing,
                total,
                keyed.field,
                setting,
                fields,
            )


def discover(rule: KeyRule, entries: Sequence[dict[str, Any]], probe: Probe | None = None) -> Discovery:
    """The key field conventions (and, for several candidates, the probe) point at, if any."""
    named = _named_paths(rule, entries)
    patterns = [p for p in _pattern_paths(rule, entries) if p not in named]
    refused: set[str] = set()
    ambiguous: tuple[str, ...] = ()
    for tier, by_order in ((named, True), (patterns, False)):
        complete = [p for p in tier if _keys_all(entries, p)]
        if len(complete) == 1:
            return Discovery(complete[0])
        if len(complete) > 1:
            if probe is None:
                if by_order:
                    return Discovery(complete[0])
                ambiguous = tuple(complete)
                continue
            winner = _ask(complete, entries, probe)
            if winner:
                return Discovery(winner)
            refused.update(complete)
    partial = [p for p in named if p not in refused and _keys_some(entries, p)]
    if partial:
        return Discovery(max(partial, key=lambda p: sum(value_at(e, p) is not None for e in entries)))
    return Discovery(None, ambiguous)


def value_at(entry: dict[str, Any], path: str) -> str | None:
    """The key value at `path` (a field name or dotted path): a non-empty string or an integer, as text."""
    value = entry[path] if path in entry else _raw(entry, path)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value)
    return text if text.strip() else None


def _key(rule: KeyRule, entries: list[dict[str, Any]], path: str | None) -> Keyed:
    values = [value_at(e, path) if path else None for e in entries]
    keys = [v if v is not None else rule.hash_key(e) for v, e in zip(values, entries, strict=True)]
    return Keyed(entries, keys, [v is None for v in values], path, changed=False)


def _keys_all(entries: Sequence[dict[str, Any]], path: str) -> bool:
    values = [value_at(e, path) for e in entries]
    return None not in values and len(set(values)) == len(values)


def _keys_some(entries: Sequence[dict[str, Any]], path: str) -> bool:
    values = [v for v in (value_at(e, path) for e in entries) if v is not None]
    return bool(values) and len(set(values)) == len(values)


def _ask(candidates: list[str], entries: Sequence[dict[str, Any]], probe: Probe) -> str | None:
    for entry in entries[:PROBED_ENTRIES]:
        for path in candidates:
            value = value_at(entry, path)
            if value is not None and probe(entry, value):
                return path
    return None


def _children(entries: Sequence[dict[str, Any]]) -> list[str]:
    """Names of object-valued fields, in order of first appearance."""
    found: dict[str, None] = {}
    for entry in entries:
        found.update((k, None) for k, v in entry.items() if isinstance(v, dict))
    return list(found)


def _named_paths(rule: KeyRule, entries: Sequence[dict[str, Any]]) -> list[str]:
    """The rule's names present in some entry: top level first, then one level down."""
    children = [c for c in _children(entries) if c not in rule.ignore]
    specific = [n for n in rule.names if n not in GENERIC_NAMES]
    generic = [n for n in rule.names if n in GENERIC_NAMES]
    paths = [*rule.names, *(f"{c}.{n}" for n in specific for c in children)]
    paths += [f"{c}.{n}" for n in generic for c in children]
    return [p for p in paths if any(value_at(e, p) is not None for e in entries)]


def _scalar_paths(entries: Sequence[dict[str, Any]]) -> list[str]:
    """Paths of text and number fields, top level and one level down, in order of first appearance."""
    found: dict[str, None] = {}
    for entry in entries:
        for key, value in entry.items():
            if isinstance(value, dict):
                found.update((f"{key}.{k}", None) for k, v in value.items() if _is_scalar(v))
            elif _is_scalar(value):
                found[key] = None
    return list(found)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _pattern_paths(rule: KeyRule, entries: Sequence[dict[str, Any]]) -> list[str]:
    """String fields named like keys (`*_id`, `*_key`, `*_ref`) or, for file names, holding file names."""
    paths = []
    for path in _scalar_paths(entries):
        if set(path.split(".")) & rule.ignore:
            continue
        values = [_raw(e, path) for e in entries]
        texts = [v for v in values if v is not None]
        if not texts or not all(isinstance(v, str) for v in texts):
            continue
        if path.rsplit(".", 1)[-1].endswith(KEY_SUFFIXES) or (
            rule.file_names and all(_FILE_NAME.fullmatch(v) for v in texts)
        ):
            paths.append(path)
    return paths


def _raw(entry: dict[str, Any], path: str) -> Any:
    value: Any = entry
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _fields_seen(entries: Sequence[dict[str, Any]]) -> str:
    paths = _scalar_paths(entries)
    shown = ", ".join(paths[:SHOWN_FIELDS])
    return (shown + ", ..." if len(paths) > SHOWN_FIELDS else shown) or "none"
