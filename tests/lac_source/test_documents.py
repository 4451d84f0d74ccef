"""Document tables and file landing: helpers, a hostile fake API, and acceptance tests on the sandbox."""

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import dlt
import fsspec
import httpx
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from fake_api import lac_client
from support import make_target, sync

from lac_connector.kit.landing import safe_name
from lac_source import lac_source
from lac_source.documents import first_value, ingest_by_filename, listed_roles, role_meta
from lac_source.session import LacSession

DOC_RESOURCES = ["uploads", "output_packages", "import_runs"]


# -- helpers ----------------------------------------------------------------------------------


def test_first_value_prefers_top_level_and_skips_generic_keys_nested() -> None:
    assert first_value({"id": "a", "output_id": "b"}, "id", "output_id") == "a"
    assert first_value({"package": {"output_id": "b"}, "customer": {"id": "x"}}, "id", "output_id") == "b"
    assert first_value({"customer": {"id": "x"}}, "id", "output_id") is None


def test_listed_roles_and_role_meta() -> None:
    assert listed_roles({"roles": ["pdf", "excel", "bogus"]}) == ("excel", "pdf")
    assert listed_roles({"files": [{"role": "json"}, {"role": "../x"}]}) == ("json",)
    assert listed_roles({"files": {"instructions": {}, "pdf": {}}}) == ("pdf", "instructions")
    assert listed_roles({}) == ()
    assert role_meta({"files": {"pdf": {"sha256": "a"}}}, "pdf") == {"sha256": "a"}
    assert role_meta({"files": [{"role": "pdf", "sha256": "b"}]}, "pdf") == {"role": "pdf", "sha256": "b"}


def test_ingest_by_filename_reads_maps_and_lists() -> None:
    names = {"a.pdf", "b.pdf"}
    flat = {"customer_id": "c1", "files": {"a.pdf": {"booked": True}, "zzz": {}}}
    assert ingest_by_filename(flat, names) == {"a.pdf": {"booked": True}}
    nested = {"items": [{"filename": "b.pdf", "state": {"parsed": True}}, "junk"]}
    assert ingest_by_filename(nested, names) == {"b.pdf": {"state": {"parsed": True}}}
    assert ingest_by_filename(None, names) == {}


# -- a hostile fake API through MockTransport ------------------------------------------------

HOSTILE = ["../../x", "/etc/passwd", "nul\x00byte.pdf", "y" * 300 + ".pdf", "kuitti_äö 1.pdf"]


def content(name: str) -> bytes:
    return f"bytes of {name!r}\n".encode() * 50


def json_response(payload: Any) -> httpx.Response:
    return httpx.Response(200, json=payload)


class DocumentsFake:
    """One company whose uploads have hostile stored names; `broken` makes every upload body break midway."""

    def __init__(self) -> None:
        self.broken = False
        self.downloads = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        raw = request.url.raw_path.decode().split("?")[0].removeprefix("/portal")
        if raw == "/customers":
            return json_response({"customers": [{"customer_id": "c1"}]})
        if raw == "/uploads":
            return json_response({"files": [{"filename": n, "size_bytes": len(content(n))} for n in HOSTILE]})
        if raw in ("/outputs", "/imports", "/ingest-status"):
            return json_response({"outputs": [], "runs": []})
        if raw.startswith("/uploads/"):
            self.downloads += 1
            body = content(unquote(raw.removeprefix("/uploads/")))
            if self.broken:
                return httpx.Response(200, stream=Breaking(body), headers={"Content-Length": str(len(body))})
            return httpx.Response(200, content=body, headers={"Content-Type": "application/octet-stream"})
        return httpx.Response(404, json={"error": "not_found", "detail": raw})


class Breaking(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self.body[:100]
        raise httpx.ReadError("connection reset mid-body")


def run_fake(fake: DocumentsFake, tmp_path: Path, **settings: Any) -> Any:
    client = lac_client(
        "http://lac.test/portal", "k", transport=fake.transport(), max_attempts=2, backoff_max=0.01
    )
    session = LacSession(client, is_api_key=True)
    pipeline = dlt.pipeline(
        pipeline_name="docs_fake",
        destination=dlt.destinations.duckdb(str(tmp_path / "fake.duckdb")),
        dataset_name="lac",
        pipelines_dir=str(tmp_path / "pipelines"),
    )
    source = lac_source(session=session, landing_url=str(tmp_path / "landing"), **settings)
    pipeline.run(source.with_resources(*DOC_RESOURCES))
    return pipeline


def disk_files(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under `root`: relative path -> (bytes, sha256)."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in root.rglob("*")
        if p.is_file()
    }


def test_hostile_stored_filenames_land_inside_the_root_under_safe_names(tmp_path: Path) -> None:
    pipeline = run_fake(DocumentsFake(), tmp_path)
    root = tmp_path / "landing"
    on_disk = disk_files(root)
    expected = {
        f"c1/uploads/{safe_name(n)}": (len(content(n)), hashlib.sha256(content(n)).hexdigest())
        for n in HOSTILE
    }
    assert on_disk == expected
    assert all(p.resolve().is_relative_to(root.resolve()) for p in root.rglob("*"))
    assert "c1/uploads/kuitti_äö 1.pdf" in on_disk
    with pipeline.sql_client() as sql:
        rows = sql.execute_sql("select storage_path, bytes, sha256, source_id from landed_files")
        stored = sql.execute_sql("select stored_filename from uploads")
    assert {r[0]: (r[1], r[2]) for r in rows} == expected
    # the destination drops NUL characters from text; everything else is kept verbatim
    kept = {n.replace("\x00", "") for n in HOSTILE}
    assert {r[3] for r in rows} == kept == {r[0] for r in stored}


def test_download_broken_midway_leaves_no_file_and_next_run_completes_it(tmp_path: Path) -> None:
    fake = DocumentsFake()
    fake.broken = True
    with pytest.raises(PipelineStepFailed):
        run_fake(fake, tmp_path)
    uploads_dir = tmp_path / "landing" / "c1" / "uploads"
    assert not uploads_dir.exists() or [p.name for p in uploads_dir.iterdir()] == []
    fake.broken = False
    run_fake(fake, tmp_path)
    assert disk_files(tmp_path / "landing") == {
        f"c1/uploads/{safe_name(n)}": (len(content(n)), hashlib.sha256(content(n)).hexdigest())
        for n in HOSTILE
    }


# -- acceptance tests against the sandbox -----------------------------------------------------


def file_requests(sandbox: Any) -> list[str]:
    """Paths of the file downloads the sandbox served."""
    return [
        unquote(r.path)
        for r in list(sandbox.requests)
        if r.path.startswith("/uploads/")
        or "/files/" in r.path
        or r.path.endswith("/raw-package")
        or (r.path.startswith("/invoices/") and r.path.endswith(("/pdf", "/finvoice")))
    ]


def expected_files(sandbox: Any, cid: str) -> dict[str, str]:
    """What the sandbox says should land: storage path -> sha256."""
    files = {f"{cid}/uploads/{safe_name(u['filename'])}": u["sha256"] for u in sandbox.truth.uploads(cid)}
    for out in sandbox.truth.outputs(cid):
        for f in out["files"]:
            ext = f["filename"].rsplit(".", 1)[1]
            files[f"{cid}/outputs/{out['output_id']}/{f['role']}.{ext}"] = f["sha256"]
    for run in sandbox.truth.imports(cid):
        files[f"{cid}/imports/{run['run_id']}/raw-package.zip"] = run["raw_package_sha256"]
    return files


def landed_table(target: Any) -> dict[str, tuple[int, str]]:
    return {
        p: (b, s) for p, b, s in target.query("select storage_path, bytes, sha256 from {ds}.landed_files")
    }


def test_every_file_lands_with_the_sandbox_hash_and_landed_files_matches_disk(
    sandbox: Any, tmp_path: Path
) -> None:
    target = make_target("duckdb", tmp_path)
    root = tmp_path / "landing"
    sync(sandbox, target, resources=DOC_RESOURCES, landing_url=str(root))
    cid = sandbox.customer_ids[0]
    on_disk = disk_files(root)
    assert {p: sha for p, (_, sha) in on_disk.items()} == expected_files(sandbox, cid)
    assert landed_table(target) == on_disk
    kinds = dict(target.query("select kind, count(*) from {ds}.landed_files group by kind"))
    assert kinds == {"upload": 6, "output": 16, "import_raw": 2}

    outputs = sandbox.truth.outputs(cid)
    assert target.scalar("select count(*) from {ds}.output_packages") == len(outputs)
    payable = dict(target.query("select output_id, payable_cents from {ds}.output_package_documents"))
    assert payable == {o["output_id"]: o["vat_preview"]["payable_cents"] for o in outputs}
    booked = dict(target.query("select stored_filename, ingest__booked from {ds}.uploads"))
    assert booked == {u["filename"]: u["booked"] for u in sandbox.truth.uploads(cid)}
    runs = target.scalar("select count(*) from {ds}.import_runs")
    artifacts = target.scalar("select count(*) from {ds}.import_artifacts")
    assert (runs, artifacts) == (2, sum(len(r["artifacts"]) for r in sandbox.truth.imports(cid)))


def test_second_run_downloads_nothing_and_after_advance_only_new_files(sandbox: Any, tmp_path: Path) -> None:
    target = make_target("duckdb", tmp_path)
    root = tmp_path / "landing"
    sync(sandbox, target, resources=DOC_RESOURCES, landing_url=str(root))
    first = disk_files(root)

    sandbox.reset_requests()
    sync(sandbox, target, resources=DOC_RESOURCES, landing_url=str(root))
    assert file_requests(sandbox) == []
    assert sandbox.request_count("/imports/imp_0001") == 0  # unchanged runs: no detail request
    assert disk_files(root) == first

    cid = sandbox.customer_ids[0]
    changes = sandbox.advance()["customers"][cid]
    sandbox.reset_requests()
    sync(sandbox, target, resources=DOC_RESOURCES, landing_url=str(root))
    (upload,), (output_id,), (run_id,) = (
        changes["uploads_new"],
        changes["outputs_new"],
        changes["imports_new"],
    )
    roles = ("excel", "pdf", "json", "instructions")
    assert sorted(file_requests(sandbox)) == sorted(
        [f"/uploads/{upload}", f"/import-runs/{run_id}/raw-package"]
        + [f"/outputs/{output_id}/files/{role}" for role in roles]
    )
    on_disk = disk_files(root)
    assert {p: sha for p, (_, sha) in on_disk.items()} == expected_files(sandbox, cid)
    assert landed_table(target) == on_disk


@pytest.mark.sandbox_config(fault_rate=0.4, fault_kinds=("truncate", "drop"), months=3)
def test_faulty_downloads_still_land_exact_bytes(sandbox: Any, tmp_path: Path) -> None:
    target = make_target("duckdb", tmp_path)
    root = tmp_path / "landing"
    sync(sandbox, target, resources=DOC_RESOURCES, landing_url=str(root))
    on_disk = disk_files(root)
    assert {p: sha for p, (_, sha) in on_disk.items()} == expected_files(sandbox, sandbox.customer_ids[0])
    assert landed_table(target) == on_disk


@pytest.mark.sandbox_config(months=3)
def test_memory_url_landing_root(sandbox: Any, tmp_path: Path) -> None:
    url = f"memory://lac-docs-{uuid.uuid4().hex}"
    target = make_target("duckdb", tmp_path)
    sync(sandbox, target, resources=["output_packages"], landing_url=url)
    fs, root = fsspec.core.url_to_fs(url)
    try:
        landed = landed_table(target)
        assert len(landed) == 16
        for path, (size, sha) in landed.items():
            assert (
                hashlib.sha256(fs.cat_file(f"{root}/{path}")).hexdigest() == sha
                and fs.size(f"{root}/{path}") == size
            )
        sandbox.reset_requests()
        sync(sandbox, target, resources=["output_packages"], landing_url=url)
        assert file_requests(sandbox) == []
    finally:
        fs.rm(root, recursive=True)


@pytest.mark.sandbox_config(months=3, invoices=6)
def test_switches_and_opt_in_invoice_files(sandbox: Any, tmp_path: Path) -> None:
    target = make_target("duckdb", tmp_path)
    root = tmp_path / "landing"
    sync(
        sandbox,
        target,
        resources=[*DOC_RESOURCES, "invoice_files"],
        landing_url=str(root),
        land_outputs=False,
        land_uploads=False,
        land_import_packages=False,
        land_invoice_files=True,
    )
    cid = sandbox.customer_ids[0]
    invoices = sandbox.truth.invoices(cid)
    expected = {f"{cid}/invoices/{safe_name(i['id'])}{ext}" for i in invoices for ext in (".pdf", ".xml")}
    assert set(disk_files(root)) == expected == set(landed_table(target))
    # tables still load without landing; the json role is read (not landed) for the documents table
    assert target.scalar("select count(*) from {ds}.output_package_documents") == len(
        sandbox.truth.outputs(cid)
    )
    assert target.scalar("select count(*) from {ds}.uploads") == len(sandbox.truth.uploads(cid))


def test_opt_in_uploads_export_lands_the_zip_once_per_listing_change(sandbox: Any, tmp_path: Path) -> None:
    import io
    import zipfile

    target = make_target("duckdb", tmp_path)
    landing = tmp_path / "landing"
    cid = sandbox.customer_ids[0]
    settings = {"landing_url": str(landing), "land_uploads_export": True}
    sync(sandbox, target, resources=["uploads", "uploads_export"], **settings)
    archive = landing / cid / "uploads-export.zip"
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zipped:
        contents = {name: zipped.read(name) for name in zipped.namelist()}
    expected = {
        u["filename"]: sandbox.truth.upload_bytes(cid, u["filename"]) for u in sandbox.truth.uploads(cid)
    }
    assert sorted(contents.values()) == sorted(expected.values())
    row = target.query(
        "select storage_path, bytes, sha256 from {ds}.landed_files where kind = 'uploads_export'"
    )
    assert row == [
        (
            f"{cid}/uploads-export.zip",
            archive.stat().st_size,
            hashlib.sha256(archive.read_bytes()).hexdigest(),
        )
    ]

    sandbox.reset_requests()
    sync(sandbox, target, resources=["uploads", "uploads_export"], **settings)
    assert sandbox.request_count("/uploads/export") == 0
    sandbox.advance()
    sync(sandbox, target, resources=["uploads", "uploads_export"], **settings)
    assert sandbox.request_count("/uploads/export") == 1
