"""The random shape of documents: uploads, ingest status, output packages, import runs."""

from __future__ import annotations

from ..derive import digest
from .layout import Layout, keyed, plain
from .naming import Draw

UPLOAD_FIELDS = ("filename", "display_name", "kind", "size_bytes", "content_type", "uploaded_at", "sha256")
VAT_PREVIEW_FIELDS = (
    "output_vat_by_rate", "output_vat_cents", "input_vat_cents", "payable_cents",
    "zero_rated_sales_base_cents", "eu_sales_base_cents", "eu_purchases_base_cents",
    "eu_purchases_vat_cents", "row_count",
)  # fmt: skip
OUTPUT_FIELDS = (
    "output_id", "kind", "period_start", "period_end", "created_at", "status", "vat_preview", "files",
)  # fmt: skip
OUTPUT_FILE_FIELDS = ("role", "filename", "content_type", "size_bytes", "sha256")
RUN_FIELDS = (
    "run_id", "source_system", "status", "started_at", "finished_at", "row_count",
    "raw_package_sha256", "raw_package_size_bytes",
)  # fmt: skip
ARTIFACT_FIELDS = ("artifact_id", "kind", "filename", "size_bytes", "sha256")


class DocumentShape:
    """Seeded layouts of upload, output package and import run entries."""

    def __init__(self, seed: int, hidden: str | None):
        self._uploads(Draw(seed, "uploads"), hidden == "uploads")
        self._ingest(Draw(seed, "ingest"))
        self._vat_preview(Draw(seed, "vat_preview"))
        self._outputs(Draw(seed, "outputs"), hidden == "outputs")
        self._imports(Draw(seed, "imports"), hidden == "imports")

    # ---- uploads ---------------------------------------------------------------------------
    def _uploads(self, d: Draw, hidden: bool) -> None:
        # A hidden file-name key gets a sibling that also holds file names (a device's own name for
        # the file), so "the one string field with an extension" finds nothing either.
        self.decoy = "device_filename" if hidden else None
        fields = [*UPLOAD_FIELDS] + ([self.decoy] if hidden else [])
        self.upload = keyed(d, fields, "filename", "filename", hidden)
        self.decoy_words = d.words.words(4)

    def upload_entry(self, u: dict) -> dict:
        entry = {k: u[k] for k in UPLOAD_FIELDS}
        if self.decoy:
            h = digest("decoy", u["filename"])
            ext = u["filename"].rsplit(".", 1)[-1]
            entry[self.decoy] = f"{self.decoy_words[h % 4]}_{h % 10000:04d}.{ext}"
        return self.upload.render(entry)

    @property
    def upload_key(self) -> str | None:
        return self.upload.dotted("filename")

    # ---- ingest status ---------------------------------------------------------------------
    def _ingest(self, d: Draw) -> None:
        self.ingest_list = d.word()
        self.ingest_by_name = d.chance(0.5)
        self.ingest_state = plain(d, ["parsed", "booked", "status"])
        self.ingest_state_wrap = d.word() if d.chance(0.5) else None

    def ingest(self, cid: str, uploads: list[dict]) -> dict:
        def state(u: dict) -> dict:
            label = "booked" if u["booked"] else ("parsed" if u["parsed"] else "queued")
            return self.ingest_state.render({"parsed": u["parsed"], "booked": u["booked"], "status": label})

        if self.ingest_by_name:
            return {"customer_id": cid, self.ingest_list: {u["filename"]: state(u) for u in uploads}}
        items = []
        for u in uploads:
            item = self.upload.render({"filename": u["filename"]})
            if self.ingest_state_wrap:
                item[self.ingest_state_wrap] = state(u)
            else:
                item.update(state(u))
            items.append(item)
        return {"customer_id": cid, self.ingest_list: items}

    # ---- VAT preview (output packages and /filings) ----------------------------------------
    def _vat_preview(self, d: Draw) -> None:
        by_rate = plain(d, ["vat_code", "vat_rate_basis_points", "base_cents", "vat_cents"])
        self.preview = plain(d, VAT_PREVIEW_FIELDS, top=["output_vat_by_rate"])
        self.preview.convert["output_vat_by_rate"] = lambda rows: [by_rate.render(r) for r in rows]

    # ---- output packages -------------------------------------------------------------------
    def _outputs(self, d: Draw, hidden: bool) -> None:
        self.output = keyed(d, OUTPUT_FIELDS, "output_id", "output_id", hidden, top=["files"])
        self.output.convert["vat_preview"] = self.preview.render
        file_layout = plain(d, OUTPUT_FILE_FIELDS, top=["role"])
        by_role = d.chance(0.5)
        self.output.convert["files"] = (
            (
                lambda fs: {
                    f["role"]: file_layout.render({k: v for k, v in f.items() if k != "role"}) for f in fs
                }
            )
            if by_role
            else (lambda fs: [file_layout.render(f) for f in fs])
        )
        self.roles_list = d.word() if d.chance(0.4) else None

    def output_entry(self, o: dict) -> dict:
        out = self.output.render(o)
        if self.roles_list:
            out[self.roles_list] = [f["role"] for f in o["files"]]
        return out

    @property
    def output_key(self) -> str | None:
        return self.output.dotted("output_id")

    # ---- import runs -----------------------------------------------------------------------
    def _imports(self, d: Draw, hidden: bool) -> None:
        self.run = keyed(d, RUN_FIELDS, "run_id", "run_id", hidden)
        self.artifact: Layout = keyed(d, ARTIFACT_FIELDS, "artifact_id", None)

    def run_entry(self, r: dict) -> dict:
        return self.run.render({k: v for k, v in r.items() if k != "artifacts"})

    def artifacts(self, r: dict) -> list[dict]:
        return [self.artifact.render(a) for a in r["artifacts"]]

    @property
    def run_key(self) -> str | None:
        return self.run.dotted("run_id")
