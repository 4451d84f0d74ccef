"""Unit and property tests of `lac_source.landing`: safe names and atomic, streamed downloads."""

import hashlib
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fake_api import lac_client
from hypothesis import given, settings
from hypothesis import strategies as st

from lac_connector.kit.http import ApiClient
from lac_connector.kit.landing import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    WINDOWS_DEVICE_NAMES,
    Download,
    Landing,
    extension_for,
    safe_name,
)

BODY = bytes(range(256)) * 800  # 200 KiB: several chunks


def assert_safe_component(result: str) -> None:
    assert result and result not in (".", "..")
    assert not result.startswith((".", " "))
    assert "/" not in result and "\\" not in result and "\x00" not in result
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in result)
    assert len(result) <= MAX_NAME_CHARS and len(result.encode("utf-8")) <= MAX_NAME_BYTES
    assert unicodedata.normalize("NFC", result) == result


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400))
def test_safe_name_is_one_safe_path_component(name: str) -> None:
    assert_safe_component(safe_name(name))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_safe_name_is_injective(a: str, b: str) -> None:
    if a != b:
        assert safe_name(a) != safe_name(b)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["../", "/", "\x00", ".", "x", "ä", "\n", "~0123456789", ".pdf", "A" * 60]),
        max_size=12,
    )
)
def test_safe_name_is_injective_on_hostile_mixtures(parts: list[str]) -> None:
    name = "".join(parts)
    assert safe_name(name) != safe_name(name + "x")
    assert safe_name(name) != safe_name("x" + name)
    assert_safe_component(safe_name(name))


readable = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters=" -_()äöåÄÖÅé€"),
    min_size=1,
    max_size=100,
).map(lambda s: unicodedata.normalize("NFC", s).strip())


@settings(max_examples=300, deadline=None)
@given(readable, st.sampled_from(["", ".pdf", ".csv", ".xlsx"]))
def test_readable_names_are_kept(stem: str, ext: str) -> None:
    name = (stem or "x") + ext
    if name.split(".")[0].upper() in WINDOWS_DEVICE_NAMES:
        return
    assert safe_name(name) == name


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../x", "x"),
        ("/etc/passwd", "passwd"),
        ("a\x00b.pdf", ".pdf"),
        ("x" * 300 + ".pdf", ".pdf"),
        ("..", ""),
        ("C:\\Windows\\evil.exe", ".exe"),
        ("bidi\u202egpj.exe", ".exe"),
        ("CON.txt", ".txt"),
        ("kuitti_äö 1.pdf", "kuitti_äö 1.pdf"),
        ("Ωmega e\u0301.pdf", "Ωmega é"),
    ],
)
def test_hostile_names_map_to_safe_readable_names(name: str, kept: str) -> None:
    result = safe_name(name)
    assert_safe_component(result)
    assert kept in result


def test_extension_for() -> None:
    assert extension_for(filename="out_0001.XLSX") == ".xlsx"
    assert extension_for(filename="noext", content_type="application/pdf") == ".pdf"
    assert extension_for(content_type="text/markdown; charset=utf-8") == ".md"
    assert extension_for(filename="evil.p/df", content_type=None, default=".bin") == ".bin"
    assert extension_for(filename="a.toolongextension") == ".bin"


class BreakingStream(httpx.SyncByteStream):
    """Sends part of the body, then drops the connection."""

    def __iter__(self) -> Iterator[bytes]:
        yield BODY[:70_000]
        raise httpx.ReadError("connection reset mid-body")


def make_client(handler) -> ApiClient:
    return lac_client(
        "http://lac.test/portal",
        "test-token",
        transport=httpx.MockTransport(handler),
        max_attempts=2,
        backoff_max=0.01,
    )


def file_response(body: bytes = BODY, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"Content-Type": "application/zip", **headers})


JOB = Download(
    "/import-runs/{run_id}/raw-package",
    {"customer_id": "c1"},
    {"run_id": "r/1"},
    "c1/imports/r1",
    "raw-package",
)


def test_download_streams_to_final_name_with_extension_from_response(tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return file_response()

    landing = Landing(str(tmp_path / "landing"))
    landed = landing.download(make_client(handler), JOB)
    assert landed.storage_path == "c1/imports/r1/raw-package.zip"
    assert (tmp_path / "landing" / landed.storage_path).read_bytes() == BODY
    assert landed.sha256 == hashlib.sha256(BODY).hexdigest() and landed.bytes == len(BODY)
    assert seen == ["/portal/import-runs/r%2F1/raw-package?customer_id=c1"]
    assert sorted(p.name for p in (tmp_path / "landing/c1/imports/r1").iterdir()) == ["raw-package.zip"]


def test_body_breaking_midway_is_retried(tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(200, stream=BreakingStream(), headers={"Content-Length": str(len(BODY))})
        return file_response()

    landed = Landing(str(tmp_path)).download(make_client(handler), JOB)
    assert len(calls) == 2
    assert (tmp_path / landed.storage_path).read_bytes() == BODY


def test_short_body_is_detected_and_retried(tmp_path: Path) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        body = BODY[:1000] if len(calls) == 1 else BODY
        return httpx.Response(200, stream=httpx.ByteStream(body), headers={"Content-Length": str(len(BODY))})

    landed = Landing(str(tmp_path)).download(make_client(handler), JOB)
    assert len(calls) == 2 and landed.bytes == len(BODY)


def test_failed_download_leaves_no_file_and_next_attempt_completes(tmp_path: Path) -> None:
    broken = True

    def handler(request: httpx.Request) -> httpx.Response:
        if broken:
            return httpx.Response(200, stream=BreakingStream(), headers={"Content-Length": str(len(BODY))})
        return file_response()

    landing = Landing(str(tmp_path))
    client = make_client(handler)
    with pytest.raises(httpx.TransportError):
        landing.download(client, JOB)
    folder = tmp_path / "c1/imports/r1"
    assert list(folder.iterdir()) == []
    # a leftover from a hard crash (process killed) is cleaned by the next successful download
    (folder / ".raw-package.part-0123456789ab").write_bytes(b"half")
    broken = False
    landed = landing.download(client, JOB)
    assert [p.name for p in folder.iterdir()] == ["raw-package.zip"]
    assert hashlib.sha256((tmp_path / landed.storage_path).read_bytes()).hexdigest() == landed.sha256


def test_memory_filesystem_root() -> None:
    url = f"memory://lac-landing-{uuid.uuid4().hex}"
    landing = Landing(url)
    try:
        landed = landing.download(make_client(lambda request: file_response()), JOB)
        assert landing.size(landed.storage_path) == len(BODY)
        with landing.open(landed.storage_path) as handle:
            assert handle.read() == BODY
        assert landing.size("c1/missing.bin") is None
    finally:
        landing.fs.rm(landing.root, recursive=True)
