"""File landing: safe names, and atomic, streamed, verified downloads into any fsspec filesystem.

Names that come from the API (stored filenames, package and run ids) never become paths
directly: `safe_name` maps each to one harmless path component. A download streams into a
hidden temporary file next to its final name (`.{name}.part-<id>`), is checked against the
response's Content-Length, and only then is moved to its final name, so a crash never leaves a
half file under a final name.
"""

import hashlib
import logging
import mimetypes
import re
import threading
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import fsspec
import httpx

from lac_connector.kit.http import ApiClient

logger = logging.getLogger("lac")

MAX_NAME_CHARS = 150
# Most filesystems cap a name at 255 bytes; keep room for the temporary-file prefix and suffix.
MAX_NAME_BYTES = 200
DOWNLOAD_ATTEMPTS = 3
CHUNK_BYTES = 1 << 16
PART_MARKER = ".part-"

_HASH_CHARS = 10
_HASHED_SUFFIX = re.compile(rf"~[0-9a-f]{{{_HASH_CHARS}}}$")
_EXT = re.compile(r"^\.[A-Za-z0-9]{1,10}$")
# Characters that are separators or wildcards on some filesystem or object store.
_RESERVED_CHARS = frozenset('/\\:*?"<>|')
# Control, format (e.g. bidi overrides), surrogate and line/paragraph separator characters.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
WINDOWS_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


def _split_ext(name: str) -> tuple[str, str]:
    """(`stem`, `.ext`) when `name` ends in a short alphanumeric extension, else (`name`, ``)."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem and _EXT.match("." + ext):
        return stem, "." + ext
    return name, ""


def _fits(name: str, max_chars: int) -> bool:
    return len(name) <= max_chars and len(name.encode("utf-8")) <= MAX_NAME_BYTES


def safe_name(name: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """Map a name from the API to one safe path component, injectively.

    The result has no path separators, control characters or NUL, never starts with a dot (so it
    can be neither `.`/`..` nor a hidden or temporary file), is NFC-normalised and at most
    `max_chars` (at least 32) characters / `MAX_NAME_BYTES` UTF-8 bytes. A readable name comes back unchanged;
    any name that had to change (or merely looks like a changed one) gets `~` plus a short hash
    of the original before its extension, so two different names never share a result.
    """
    cleaned = "".join(
        "_" if ch in _RESERVED_CHARS or unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch
        for ch in unicodedata.normalize("NFC", name)
    )
    cleaned = cleaned.lstrip(". ").rstrip(". ") or "_"
    stem, ext = _split_ext(cleaned)
    if (
        cleaned == name
        and _fits(name, max_chars)
        and not _HASHED_SUFFIX.search(stem)
        and (stem.upper() not in WINDOWS_DEVICE_NAMES)
    ):
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    suffix = f"~{digest}{ext}"
    while stem and not _fits(stem + suffix, max_chars):
        stem = stem[:-1]
    return unicodedata.normalize("NFC", stem.rstrip(". ") + suffix)


def extension_for(
    *, filename: str | None = None, content_type: str | None = None, default: str = ".bin"
) -> str:
    """A safe lower-case extension (with dot) from a filename, else a content type, else `default`."""
    if filename:
        _, ext = _split_ext(filename.rsplit("/", 1)[-1])
        if ext:
            return ext.lower()
    if content_type:
        media_type = content_type.split(";", 1)[0].strip().lower()
        guessed = {"text/markdown": ".md", "application/zip": ".zip"}.get(
            media_type
        ) or mimetypes.guess_extension(media_type)
        if guessed and _EXT.match(guessed):
            return guessed.lower()
    return default


def content_disposition_filename(headers: Mapping[str, str]) -> str | None:
    """The plain `filename="..."` of a Content-Disposition header, if any."""
    match = re.search(r'filename="?([^";]+)"?', headers.get("Content-Disposition", ""))
    return match.group(1) if match else None


@dataclass(frozen=True)
class LandedFile:
    """A file now in storage; `storage_path` is relative to the landing root."""

    storage_path: str
    bytes: int
    sha256: str
    content_type: str | None


@dataclass(frozen=True)
class Download:
    """One file to fetch: the API endpoint and where (folder, name without extension) it goes.

    The extension is `ext` when known up front (`""` for none), else derived from the response.
    """

    endpoint: str
    params: Mapping[str, Any]
    path_params: Mapping[str, str]
    folder: str
    stem: str
    ext: str | None = None
    default_ext: str = ".bin"


class TruncatedDownload(httpx.TransportError):
    """The body ended before the announced Content-Length: retried like a dropped connection."""


class Landing:
    """The landing root: a local folder or any fsspec URL, and the files under it."""

    def __init__(self, url: str, storage_options: Mapping[str, Any] | None = None) -> None:
        self.url = url
        fs, root = fsspec.core.url_to_fs(url, **dict(storage_options or {}))
        self.fs: fsspec.AbstractFileSystem = fs
        self.root = root.rstrip("/")
        # folder -> temporary files found in it when first listed (see `_clean_parts`)
        self._parts_found: dict[str, list[str]] = {}
        self._parts_lock = threading.Lock()

    def full_path(self, storage_path: str) -> str:
        return f"{self.root}/{storage_path}"

    def size(self, storage_path: str) -> int | None:
        """The stored size of a landed file, or None when it is not there."""
        try:
            return int(self.fs.size(self.full_path(storage_path)))
        except (FileNotFoundError, OSError):
            return None

    def open(self, storage_path: str, mode: str = "rb") -> Any:
        return self.fs.open(self.full_path(storage_path), mode)

    def download(self, client: ApiClient, job: Download) -> LandedFile:
        """Stream `job` into storage atomically, retrying a body that breaks midway."""
        self.fs.makedirs(self.full_path(job.folder), exist_ok=True)
        for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
            try:
                return self._download_once(client, job)
            except httpx.TransportError as exc:
                if attempt == DOWNLOAD_ATTEMPTS:
                    raise
                logger.info("retrying download %s after: %s (attempt %d)", job.endpoint, exc, attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _download_once(self, client: ApiClient, job: Download) -> LandedFile:
        temp = self.full_path(f"{job.folder}/{_part_name(job)}{uuid.uuid4().hex[:12]}")
        try:
            with client.stream(job.endpoint, job.params, path_params=job.path_params) as response:
                digest, size = hashlib.sha256(), 0
                with self.fs.open(temp, "wb") as out:
                    for chunk in response.iter_bytes(CHUNK_BYTES):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                expected = response.headers.get("Content-Length")
                if expected is not None and expected.isdigit() and int(expected) != size:
                    raise TruncatedDownload(f"got {size} of {expected} bytes")
                content_type = response.headers.get("Content-Type")
                ext = (
                    job.ext
                    if job.ext is not None
                    else extension_for(
                        filename=content_disposition_filename(response.headers),
                        content_type=content_type,
                        default=job.default_ext,
                    )
                )
            storage_path = f"{job.folder}/{job.stem}{ext}"
            self.fs.mv(temp, self.full_path(storage_path))
        finally:
            self._remove(temp)
        self._clean_parts(job)
        return LandedFile(storage_path, size, digest.hexdigest(), content_type)

    def _remove(self, path: str) -> None:
        try:
            if self.fs.exists(path):
                self.fs.rm(path)
        except OSError:  # best effort: a leftover .part file is harmless
            logger.debug("could not remove temporary file %s", path)

    def _clean_parts(self, job: Download) -> None:
        """Remove temporary files that earlier crashed downloads of the same file left behind."""
        leftover = re.compile(re.escape(_part_name(job)) + r"[0-9a-f]{12}")
        for path in self._parts_in(job.folder):
            if leftover.fullmatch(path.rstrip("/").rsplit("/", 1)[-1]):
                self._remove(path)

    def _parts_in(self, folder: str) -> list[str]:
        """The temporary files in `folder` when this landing first looked, listed once: listing the
        folder after every download would cost time quadratic in its files. Only a killed process
        leaves such files, so none appear later (a download's own is removed when it ends)."""
        with self._parts_lock:
            if folder not in self._parts_found:
                try:
                    names = self.fs.ls(self.full_path(folder), detail=False)
                except (FileNotFoundError, OSError):
                    names = []
                self._parts_found[folder] = [n for n in names if PART_MARKER in n.rsplit("/", 1)[-1]]
            return self._parts_found[folder]


def _part_name(job: Download) -> str:
    """The temporary name of a download before its random suffix: hidden, next to the final name."""
    return f".{job.stem}{job.ext or ''}{PART_MARKER}"
