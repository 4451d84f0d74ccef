"""The journal: lines month by month (`ll_journal_lines`) and postings (`ll_journal_intents`).

A hidden driver, `ll_journal_periods`, plans the months (see `planner`), reads the lines of each
month to read from `/v1/journal` by date windows (`paging.read_windows`), and feeds one
`PeriodTask` per month, in calendar order, then one `JournalDone`, to every journal table:

- `ll_journal_lines`: the month's lines, replaced per (`tenant_id`, `period`) when its lines changed;
- `ll_journal_intents`: `/v1/journal/{intent_id}` for each posting that is new or whose lines
  changed, plus every posting its `linked_intents` name (a reversal changes the reversed posting's
  summary and links but not its lines); postings gone from the window are deleted;
- the account, report and export tables in `ledger` and `reports`.

The lines' interior is open. Discovered once and remembered in the driver's state:
the posting (intent) id of a line — a field named `intent_id`, else a field whose value
`/v1/journal/{value}` answers with that `intent_id`; the account — the field whose values are
all account numbers of `/v1/accounts`; documents — fields named `document_id`. The `fields`
setting overrides each (`ll_journal_lines.intent_id`, `.account`, `.document_id`).
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import dlt
from dlt.sources import DltResource

from lac_connector.kit.errors import ApiError, NotFoundError
from lac_connector.kit.progress import progress
from lac_connector.kit.records import fingerprint
from ledgerlou_source.documents import FILE_TABLES, DocumentLander
from ledgerlou_source.fields import (
    Path,
    dotted,
    get_path,
    line_setting,
    looks_like_date,
    looks_like_id,
    name_words,
    parse_path,
    paths_with_word,
    scalar_leaves,
)
from ledgerlou_source.ledger import account_numbers
from ledgerlou_source.paging import read_windows
from ledgerlou_source.planner import (
    JournalDone,
    PeriodTask,
    Window,
    entry_print,
    first_day,
    is_closed,
    last_day,
    listed_periods,
    prefix_of,
)
from ledgerlou_source.pool import ordered_map
from ledgerlou_source.rows import (
    TENANT,
    check_money,
    gone,
    keyed,
    merged_rows,
    normalized,
    replaced,
    route,
    tenant_state,
)
from ledgerlou_source.session import LedgerLouSession

logger = logging.getLogger("lac")

DRIVER = "ll_journal_periods"
LINES = "ll_journal_lines"
INTENTS = "ll_journal_intents"
# Tables that need the lines themselves: the driver reads a month again until they have it.
LINE_TABLES = (LINES, INTENTS)
ROWS_PER_ITEM = 2_000
MAX_INTENT_PROBES = 6


@dataclass
class JournalFields:
    """Where the lines keep their posting id, account and documents (resolved by the driver)."""

    intent: Path | None = None
    account: Path | None = None
    documents: list[Path] = field(default_factory=list)


def consumer_periods(session: LedgerLouSession, name: str) -> dict[str, str]:
    """The months (and their content) the journal table `name` has loaded, from its resource state."""
    return tenant_state(session, name).get("periods", {})


def _lines_of(groups: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    return {key: fingerprint(lines)[:16] for key, lines in groups.items()}


def _group(lines: list[dict[str, Any]], path: Path | None) -> dict[str, list[dict[str, Any]]] | None:
    """Lines by the value at `path`; None when `path` is unknown (an empty month has no groups)."""
    if not lines:
        return {}
    if path is None:
        return None
    groups: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        value = get_path(line, path)
        if value is not None:
            groups.setdefault(str(value), []).append(line)
    return groups


class JournalReader:
    """The driver's work: plan months, read their lines, resolve the lines' fields."""

    def __init__(self, session: LedgerLouSession, window: Window, journal_fields: JournalFields) -> None:
        self.session = session
        self.window = window
        self.fields = journal_fields

    def read_month(self, period: str, first: Any, last: Any) -> tuple[list[dict[str, Any]], list[Any]]:
        result = read_windows(
            self.session.client, "/v1/journal", first, last, self.session.journal_page_limit
        )
        return result.lines, result.truncated_days

    # -- field resolution ---------------------------------------------------------------------
    def resolve(self, state: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        """Resolve the intent, account and document fields from the first lines read this run."""
        configured = self.session.fields
        self.fields.intent = (
            configured.line_field("intent")
            or self._remembered(state, "intent_field", lines)
            or self._find_intent_field(lines)
        )
        self.fields.account = (
            configured.line_field("account")
            or self._remembered(state, "account_field", lines)
            or self._find_account_field(lines)
        )
        document = configured.line_field("document")
        self.fields.documents = (
            [document]
            if document
            else sorted(
                {
                    p
                    for line in lines
                    for p, _ in scalar_leaves(line)
                    if len(p) <= 2 and "document" in name_words(p[-1])
                }
            )
        )
        state["intent_field"] = dotted(self.fields.intent) if self.fields.intent else None
        state["account_field"] = dotted(self.fields.account) if self.fields.account else None

    @staticmethod
    def _remembered(state: dict[str, Any], key: str, lines: list[dict[str, Any]]) -> Path | None:
        value = state.get(key)
        if not value:
            return None
        path = parse_path(value)
        return path if all(get_path(line, path) is not None for line in lines[:20]) else None

    def _find_intent_field(self, lines: list[dict[str, Any]]) -> Path | None:
        """`intent_id` (the reference's name for a posting id), else the first candidate that
        `/v1/journal/{value}` answers with that `intent_id`: fields named with `intent` first,
        then any field whose values repeat (a posting has several lines) and look like ids."""
        named = paths_with_word(lines[0], "intent")
        if named and named[0][-1] == "intent_id":
            return named[0]
        candidates = [(-1, len(p), p) for p in named]
        for path, value in scalar_leaves(lines[0]):
            if path in named:
                continue
            if len(path) > 2 or not isinstance(value, str) or looks_like_date(value):
                continue
            if not looks_like_id(value):
                continue
            values = [get_path(line, path) for line in lines]
            # several lines share a posting: an intent id repeats, and is never missing
            if any(v is None for v in values) or len(set(map(str, values))) == len(values):
                continue
            rank = 0 if path[-1].endswith(("_id", "_key", "_ref")) else 1
            candidates.append((rank, len(path), path))
        for _, _, path in sorted(candidates)[:MAX_INTENT_PROBES]:
            value = str(get_path(lines[0], path))
            try:
                detail = self.session.client.get_json(
                    "/v1/journal/{intent_id}", path_params={"intent_id": value}
                )
            except NotFoundError:
                continue
            except ApiError as exc:
                if exc.status in (400, 422):
                    continue
                raise
            if isinstance(detail, dict) and str(detail.get("intent_id")) == value:
                logger.info("%s: a line's posting is its %r field", LINES, dotted(path))
                return path
        return None

    def _find_account_field(self, lines: list[dict[str, Any]]) -> Path | None:
        numbers = account_numbers(self.session)
        if not numbers:
            return None
        found = []
        for path, value in scalar_leaves(lines[0]):
            if len(path) > 2 or value is None or str(value) not in numbers:
                continue
            if all(str(get_path(line, path)) in numbers for line in lines):
                found.append((0 if "account" in dotted(path) else 1, len(path), path))
        return sorted(found)[0][2] if found else None


def journal_resources(
    session: LedgerLouSession, window: Window, lander: DocumentLander
) -> tuple[DltResource, list[DltResource]]:
    """The driver and the two line tables fed by it (the driver is returned for the other consumers)."""
    claim = session.report.claim
    claim(LINES, "/v1/journal")
    claim(INTENTS, "/v1/journal/{intent_id}")
    journal_fields = JournalFields()
    reader = JournalReader(session, window, journal_fields)

    @dlt.resource(name=DRIVER, selected=False)
    def journal_periods() -> Iterator[PeriodTask | JournalDone]:
        state = tenant_state(session)
        known: dict[str, dict[str, Any]] = state.setdefault("periods", {})
        with session.scope(LINES):
            listed = listed_periods(session)
            months = window.months(listed)
            end = months[-1]
            settings_print = session.fields.fingerprint
            behind = {name: consumer_periods(session, name) for name in LINE_TABLES}

            def needs_read(period: str) -> bool:
                entry, record = listed.get(period), known.get(period)
                if window.full_refresh or record is None or record.get("settings") != settings_print:
                    return True
                if record.get("entry") != entry_print(entry):
                    return True
                if any(done.get(period) != record["content"] for done in behind.values()):
                    return True
                return not is_closed(entry) and window.in_lookback(period, end)

            plan = [(p, needs_read(p)) for p in months]
            reads = sum(1 for _, read in plan if read)
            progress.planned(session.tenant, months, reads)
            session.report.count_periods(LINES, reads, len(months) - reads)
            yield from _tasks(state, known, listed, plan, end, settings_print)

    def _tasks(
        state: dict[str, Any],
        known: dict[str, dict[str, Any]],
        listed: dict[str, Any],
        plan: list[tuple[str, bool]],
        end: str,
        settings_print: str,
    ) -> Iterator[PeriodTask | JournalDone]:
        def read(item: tuple[str, bool]) -> Any:
            period, wanted = item
            return reader.read_month(period, first_day(period), last_day(period)) if wanted else None

        prefix, resolved, intents_complete = "", False, True
        all_intents: set[str] = set()
        accounts: dict[str, list[str]] | None = {}
        for (period, wanted), result in ordered_map(read, plan, session.concurrency):
            entry = listed.get(period)
            if not wanted:
                record = known[period]
                task = PeriodTask(period, entry, record["content"], "", False)
                intents, per_account = record.get("intents", {}), record.get("accounts")
            else:
                lines, truncated = result
                if lines and not resolved:
                    reader.resolve(state, lines)
                    resolved = True
                    _note_unresolved(session, journal_fields)
                groups = _group(lines, journal_fields.intent)
                intents = _lines_of(groups) if groups is not None else {}
                intents_complete &= groups is not None and not truncated
                account_groups = _group(lines, journal_fields.account)
                per_account = _lines_of(account_groups) if account_groups is not None else None
                content = "lines:" + fingerprint([settings_print, lines])[:24]
                task = PeriodTask(period, entry, content, "", True, lines, intents, complete=not truncated)
                if truncated:
                    days = ", ".join(d.isoformat() for d in truncated)
                    logger.warning(
                        "%s %s: day(s) %s hold at least %d lines; raise journal_page_limit",
                        LINES,
                        period,
                        days,
                        session.journal_page_limit,
                    )
                    session.report.note_partial(
                        LINES,
                        f"{period}: day(s) {days} hold at least journal_page_limit="
                        f"{session.journal_page_limit} lines; raise [sources.ledgerlou] journal_page_limit",
                    )
                else:
                    known[period] = {
                        "entry": entry_print(entry),
                        "content": content,
                        "settings": settings_print,
                        "intents": intents,
                        "accounts": per_account,
                    }
            prefix = prefix_of(prefix, period, task.content)
            task.prefix, task.force = prefix, window.full_refresh
            all_intents.update(intents)
            if accounts is not None and per_account is not None:
                for number, digest in per_account.items():
                    accounts.setdefault(number, []).append(f"{period}:{digest}")
            else:
                accounts = None
            yield task
        yield JournalDone(
            months=[p for p, _ in plan],
            prefix=prefix,
            intents=all_intents,
            intents_complete=intents_complete,
            accounts={n: fingerprint(v)[:16] for n, v in accounts.items()} if accounts is not None else None,
            end=last_day(end),
            force=window.full_refresh,
        )

    @dlt.transformer(name=LINES, **replaced(TENANT, "period"))
    def ll_journal_lines(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """The lines of each month whose lines changed, as returned, with `period` and `line_index`."""
        if isinstance(task, JournalDone) or not task.read:
            return
        done = tenant_state(session).setdefault("periods", {})
        if done.get(task.period) == task.content and not task.force:
            return
        key = {TENANT: session.tenant, "period": task.period}
        yield gone(**key)
        lines = task.lines or []
        for start in range(0, len(lines), ROWS_PER_ITEM):
            chunk = lines[start : start + ROWS_PER_ITEM]
            rows = []
            for index, line in enumerate(chunk, start):
                extra = {"line_index": index}
                if journal_fields.intent:
                    extra["intent_id"] = _str(get_path(line, journal_fields.intent))
                rows.append(keyed(line, **key, **extra))
            yield normalized(session, LINES, rows)
            progress.add_rows(LINES, len(rows))
            yield from lander.document_items(
                LINES,
                (
                    v
                    for line in chunk
                    for p in journal_fields.documents
                    if looks_like_id(v := get_path(line, p))
                ),
            )
        check_money(session, LINES)
        done[task.period] = task.content

    @dlt.transformer(name=INTENTS, **merged_rows(TENANT, "intent_id"))
    def ll_journal_intents(task: PeriodTask | JournalDone) -> Iterator[Any]:
        """`/v1/journal/{intent_id}` of new and changed postings (and those they link), without
        `entries` (the lines are in `ll_journal_lines`); postings gone from the window are deleted."""
        state = tenant_state(session)
        known: dict[str, list[str]] = state.setdefault("intents", {})
        done = state.setdefault("periods", {})
        if isinstance(task, JournalDone):
            if not task.intents_complete:  # an unknown posting is not a deleted one
                return
            months = set(task.months)
            vanished = sorted(i for i, (p, _) in known.items() if p in months and i not in task.intents)
            if vanished:
                yield [gone(**{TENANT: session.tenant, "intent_id": i}) for i in vanished]
                for intent_id in vanished:
                    del known[intent_id]
            return
        if not task.read or (done.get(task.period) == task.content and not task.force):
            return
        if journal_fields.intent is None:  # noted by the driver; setting line_intent_field re-reads
            done[task.period] = task.content
            return
        todo = [i for i, d in task.intents.items() if task.force or known.get(i) != [task.period, d]]
        rows, missing, fetched = [], [], set()
        with session.scope(INTENTS):
            details = list(ordered_map(_fetch_intent, todo, session.concurrency))
            fetched.update(todo)
            linked = sorted(
                {
                    i
                    for _, d in details
                    for i in _linked_ids(d)
                    if i in known and i not in fetched and i not in todo
                }
            )
            details += ordered_map(_fetch_intent, linked, session.concurrency)
            for intent_id, detail in details:
                if detail is None:
                    missing.append(intent_id)
                    continue
                period = task.period if intent_id in task.intents else known[intent_id][0]
                digest = task.intents.get(intent_id) or known[intent_id][1]
                entries = detail.get("entries")
                row = {k: v for k, v in detail.items() if k != "entries"}
                rows.append(
                    keyed(
                        row,
                        **{
                            TENANT: session.tenant,
                            "intent_id": intent_id,
                            "period": period,
                            "entry_count": len(entries) if isinstance(entries, list) else None,
                        },
                    )
                )
                known[intent_id] = [period, digest]
            if rows:
                documents = [get_path(r, p) for r in rows for p in _document_paths(r)]
                yield normalized(session, INTENTS, rows)
                check_money(session, INTENTS)
                yield from lander.document_items(INTENTS, documents)
            if missing:
                logger.warning(
                    "%s: %d posting(s) listed but 404 on detail (removed meanwhile): %s",
                    INTENTS,
                    len(missing),
                    ", ".join(missing[:5]),
                )
                session.report.note_partial(
                    INTENTS, f"{len(missing)} posting detail(s) 404, retried next run"
                )
            else:
                done[task.period] = task.content

    def _fetch_intent(intent_id: str) -> dict[str, Any] | None:
        try:
            detail = session.client.get_json("/v1/journal/{intent_id}", path_params={"intent_id": intent_id})
        except NotFoundError:
            return None
        return detail if isinstance(detail, dict) else {}

    driver = journal_periods()
    tables = [
        route(driver | ll_journal_lines, FILE_TABLES.items()),
        route(driver | ll_journal_intents, FILE_TABLES.items()),
    ]
    return driver, tables


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _linked_ids(detail: dict[str, Any] | None) -> set[str]:
    """Every string inside a posting's `linked_intents` (its interior is open): the candidates
    among them that are known postings are the linked ones."""
    found: set[str] = set()
    stack = [detail.get("linked_intents")] if isinstance(detail, dict) else []
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
        elif isinstance(node, str):
            found.add(node)
    return found


def _document_paths(row: dict[str, Any]) -> list[Path]:
    return paths_with_word(row, "document")


def _note_unresolved(session: LedgerLouSession, journal_fields: JournalFields) -> None:
    if journal_fields.intent is None:
        logger.warning("%s: no field of the lines names their posting; posting details are not loaded", LINES)
        session.report.note_partial(
            INTENTS,
            f"no field of the journal lines names their posting: set {line_setting('intent')}",
        )
    if not journal_fields.documents:
        logger.warning("%s: no document_id field in the lines; documents of postings are not landed", LINES)
        session.report.note_partial(
            LINES,
            f"no document_id field in the journal lines (documents of postings are not landed): "
            f"set {line_setting('document')}",
        )
