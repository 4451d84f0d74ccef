"""`lac_connector.kit.keys` and `kit.changes`: each resolution step, asking the API, and what is remembered.

The probes here are real GETs through httpx.MockTransport, as a source makes them.
"""

import logging
from typing import Any

import httpx
import pytest

from lac_connector.kit.changes import Changes
from lac_connector.kit.errors import ConfigError, NotFoundError
from lac_connector.kit.http import ApiClient, ApiHints
from lac_connector.kit.keys import KeyResolver, KeyRule, Probe, discover, hash_key, value_at
from lac_connector.kit.report import RunReport

RULE = KeyRule("packages", "package_id_field", ("id", "package_id"), ignore=frozenset({"owner_id"}))
FILES = KeyRule("files", "file_name_field", ("filename", "id"), file_names=True)


class Api:
    """A detail endpoint `/packages/{package_id}` that knows the ids in `known`."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.requests: list[str] = []
        hints = ApiHints("Test", "token", "base_url")
        transport = httpx.MockTransport(self.handle)
        self.client = ApiClient("http://api.test", "t", hints, transport=transport, max_attempts=1)

    def handle(self, request: httpx.Request) -> httpx.Response:
        value = request.url.path.rsplit("/", 1)[1]
        self.requests.append(value)
        if value in self.known:
            return httpx.Response(200, json={"package_id": value})
        return httpx.Response(404, json={"error": "not_found", "detail": value})

    def probe(self, entry: dict[str, Any], value: str) -> bool:
        try:
            self.client.get_json("/packages/{package_id}", path_params={"package_id": value})
        except NotFoundError:
            return False
        return True


def resolve(
    entries: list[dict[str, Any]],
    *,
    state: dict[str, Any] | None = None,
    settings: dict[str, str | None] | None = None,
    probe: Probe | None = None,
    rule: KeyRule = RULE,
    report: RunReport | None = None,
) -> Any:
    resolver = KeyResolver(report or RunReport(), settings or {}, "[sources.test]")
    return resolver.resolve(
        rule,
        entries,
        resource="packages",
        scope="c1",
        state={} if state is None else state,
        probe=probe,
        scope_label="company c1",
    )


# -- step 1: the user's setting -------------------------------------------------------------


def test_setting_with_a_dotted_path_wins_without_asking() -> None:
    api = Api(set())
    entries = [{"id": "a", "meta": {"ref": {"handle": "h1"}}}, {"id": "b", "meta": {"ref": {"handle": "h2"}}}]
    keyed = resolve(entries, settings={"package_id_field": "meta.ref.handle"}, probe=api.probe)
    assert keyed.keys == ["h1", "h2"] and keyed.field == "meta.ref.handle" and not keyed.unresolved
    assert api.requests == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("meta.nme", "[sources.test] package_id_field = 'meta.nme' names no field of the 2 packages"),
        ("kind", "[sources.test] package_id_field = 'kind' does not identify packages entries: 'x' appears"),
    ],
)
def test_bad_setting_is_a_one_line_config_error(setting: str, message: str) -> None:
    entries = [{"kind": "x", "meta": {"name": "a"}}, {"kind": "x", "meta": {"name": "b"}}]
    with pytest.raises(ConfigError) as info:
        resolve(entries, settings={"package_id_field": setting})
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
    assert "meta.name" in str(info.value) or "unique" in str(info.value)


# -- step 3: conventions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ([{"id": 1, "name": "x"}, {"id": 2, "name": "x"}], "id"),
        ([{"package_id": "p1"}, {"package_id": "p2"}], "package_id"),
        ([{"package": {"package_id": "p1"}}, {"package": {"package_id": "p2"}}], "package.package_id"),
        # nested bare `id` only after the specific names one level down
        (
            [
                {"owner": {"id": "o1"}, "doc": {"package_id": "p1"}},
                {"owner": {"id": "o2"}, "doc": {"package_id": "p2"}},
            ],
            "doc.package_id",
        ),
        ([{"upstream_ref": "r1", "owner_id": "o"}, {"upstream_ref": "r2", "owner_id": "o"}], "upstream_ref"),
        # the ignored `owner_id` is never a candidate, even when unique
        ([{"owner_id": "o1", "x_key": "k1"}, {"owner_id": "o2", "x_key": "k2"}], "x_key"),
        # values must be non-empty and unique in every entry
        ([{"id": "a", "package_id": "p1"}, {"id": "a", "package_id": "p2"}], "package_id"),
        ([{"id": "", "package_id": "p1"}, {"id": "b", "package_id": "p2"}], "package_id"),
    ],
)
def test_conventions(entries: list[dict[str, Any]], field: str) -> None:
    assert discover(RULE, entries).field == field


def test_file_names_are_recognised_by_their_values() -> None:
    entries = [
        {"blob": {"stored": "kuitti 1.pdf", "shown": "kuitti 1"}, "at": "2026-11-01T10:00:00.000Z"},
        {"blob": {"stored": "lasku.XLSX", "shown": "lasku"}, "at": "2026-11-02T10:00:00.000Z"},
    ]
    assert discover(FILES, entries).field == "blob.stored"
    assert discover(RULE, entries).field is None  # only lists of files look at values


# -- step 4: several candidates, the API decides -----------------------------------------------


def test_several_candidates_are_resolved_by_asking_the_api() -> None:
    api = Api({"p1", "p2"})
    entries = [{"id": "a", "package_id": "p1"}, {"id": "b", "package_id": "p2"}]
    keyed = resolve(entries, probe=api.probe)
    assert keyed.field == "package_id" and keyed.keys == ["p1", "p2"]
    assert api.requests == ["a", "p1"]  # `id` asked first, refused; then the winner


def test_pattern_candidates_without_a_probe_are_ambiguous(caplog: pytest.LogCaptureFixture) -> None:
    entries = [{"a_ref": "r1", "b_ref": "s1"}, {"a_ref": "r2", "b_ref": "s2"}]
    report = RunReport()
    keyed = resolve(entries, report=report)
    assert keyed.field is None and keyed.keys == [hash_key(e) for e in entries]
    (line,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert line.startswith("packages of company c1: could not tell which of a_ref, b_ref identifies the 2")
    api = Api({"s1"})
    assert resolve(entries, probe=api.probe).field == "b_ref"


def test_remembered_field_is_not_asked_for_again() -> None:
    api = Api({"p1", "p2", "p3"})
    state: dict[str, Any] = {}
    entries = [{"id": "a", "package_id": "p1"}, {"id": "b", "package_id": "p2"}]
    assert resolve(entries, state=state, probe=api.probe).field == "package_id"
    assert state == {"key_fields": {"c1": {"packages": {"field": "package_id"}}}}
    api.requests.clear()
    more = [*entries, {"id": "c", "package_id": "p3"}]
    keyed = resolve(more, state=state, probe=api.probe)
    assert keyed.field == "package_id" and not keyed.changed and api.requests == []


# -- unresolved: hash keys, one warning, a partial note; resolved later ------------------------


def test_unresolved_entries_are_hash_keyed_warned_and_noted(caplog: pytest.LogCaptureFixture) -> None:
    entries = [{"kind": "x", "size": 1}, {"kind": "x", "size": 2}, {"kind": "x", "size": 3}]
    report = RunReport()
    state: dict[str, Any] = {}
    keyed = resolve(entries, state=state, report=report)
    assert keyed.unresolved == 3 and keyed.keys == [hash_key(e) for e in entries]
    assert all(k.startswith("sha256:") and len(k) == 39 for k in keyed.keys)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "packages of company c1: could not tell which field identifies the 3 entries; "
        "set [sources.test] package_id_field (fields seen: kind, size)"
    ]
    assert report.notes == {
        "packages": "partial: packages of company c1: 3 of 3 entries keyed by a hash of the entry "
        "(set [sources.test] package_id_field)"
    }

    # the user names the field: the key changed, and every row loaded under a hash key is stale
    fixed = [{**e, "ref": {"n": str(e["size"])}} for e in entries]
    keyed = resolve(fixed, state=state, settings={"package_id_field": "ref.n"})
    assert keyed.keys == ["1", "2", "3"] and keyed.changed
    assert keyed.stale_keys() == [hash_key(e) for e in entries]
    assert state["key_fields"]["c1"]["packages"] == {"field": "ref.n"}


def test_entries_missing_the_field_are_hash_keyed(caplog: pytest.LogCaptureFixture) -> None:
    entries = [{"id": "a"}, {"name": "no id"}, {"id": "c"}]
    report = RunReport()
    keyed = resolve(entries, report=report)
    assert (
        keyed.field == "id"
        and keyed.keys == ["a", hash_key(entries[1]), "c"]
        and keyed.hashed == [False, True, False]
    )
    (line,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert line.startswith("packages of company c1: 1 of 3 entries have no id, so they are keyed by a hash")
    assert report.notes["packages"].startswith("partial: packages of company c1: 1 of 3 entries")


def test_a_changed_key_field_makes_remembered_keys_stale() -> None:
    state: dict[str, Any] = {}
    entries = [{"id": "a", "package_id": "p1"}, {"id": "b", "package_id": "p2"}]
    assert resolve(entries, state=state).field == "id"  # no probe: the rule's order decides
    keyed = resolve(entries, state=state, settings={"package_id_field": "package_id"})
    assert keyed.changed and keyed.stale_keys(["a", "b", "p1"]) == ["a", "b"]
    assert not resolve(entries, state=state, settings={"package_id_field": "package_id"}).changed


def test_one_warning_per_list_and_scope_in_a_run(caplog: pytest.LogCaptureFixture) -> None:
    resolver = KeyResolver(RunReport(), {}, "[sources.test]")
    for _ in range(3):  # e.g. one listing per month
        resolver.resolve(RULE, [{"kind": "x"}], resource="packages", scope="c1", state={})
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert resolver.report.notes["packages"].count("packages of c1") == 1


def test_value_at() -> None:
    entry = {"id": 7, "flag": True, "blank": " ", "a.b": "literal", "a": {"b": "nested"}, "n": None}
    assert value_at(entry, "id") == "7"
    assert value_at(entry, "a.b") == "literal"
    assert value_at({"a": {"b": "nested"}}, "a.b") == "nested"
    assert [value_at(entry, f) for f in ("flag", "blank", "n", "missing", "a")] == [None] * 5


# -- kit.changes ------------------------------------------------------------------------------


def test_changes_reads_plain_and_extended_records() -> None:
    state: dict[str, Any] = {
        "runs": {"c1": {"r1": "h1"}},
        "packages": {"c1": {"o1": {"entry": "h2", "roles": ["pdf"]}}},
    }
    runs = Changes.of(state, "runs", "c1")
    assert not runs.is_changed("r1", "h1") and runs.is_changed("r1", "h9") and runs.is_changed("r2", "h1")
    assert runs.changed({"r1": "h1", "r2": "x"}) == ["r2"]
    packages = Changes.of(state, "packages", "c1")
    assert packages.digest("o1") == "h2" and packages.extras("o1") == {"roles": ["pdf"]}
    packages.remember("o2", "h3", roles=["json"])
    runs.remember("r2", "x")
    assert state["packages"]["c1"]["o2"] == {"entry": "h3", "roles": ["json"]}
    assert state["runs"]["c1"]["r2"] == "x"
    runs.forget(["r1", "zz"])
    assert runs.keys() == ["r2"]
    landed = Changes({"k": {"identity": "sha256:1", "path": "p"}}, digest_field="identity")
    assert landed.digest("k") == "sha256:1" and landed.extras("k") == {"path": "p"}
