"""One `lac run` of the LAC source: the `SourceRun` the pipeline drives (see `lac_connector.kit.protocol`)."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import fsspec
from dlt.extract.source import DltSource

from lac_connector.kit.config import resolve_settings
from lac_connector.kit.errors import ApiError, ConfigError, NotFoundError
from lac_connector.kit.paths import unwritable_reason
from lac_connector.kit.report import RunReport
from lac_source.config import LacSourceConfig
from lac_source.session import LacSession, build_session
from lac_source.source import lac_source

LANDING_SWITCHES = (
    "land_outputs",
    "land_uploads",
    "land_import_packages",
    "land_invoice_files",
    "land_uploads_export",
)


def _local_path(url: str) -> Path | None:
    """The local folder of a landing URL (a plain path or `file://`), None for other filesystems."""
    protocol, path = fsspec.core.split_protocol(url)
    return Path(path) if protocol in (None, "file", "local") else None


class LacRun:
    """The LAC source for one run: settings resolved once, one session, one report."""

    name = "lac"

    def __init__(self, settings: Mapping[str, Any], session: LacSession | None = None) -> None:
        self.settings = dict(settings)
        self.session = session or build_session(
            api_key=self.settings["api_key"],
            access_token=self.settings["access_token"],
            base_url=self.settings["base_url"],
            customer_ids=self.settings["customer_ids"],
            max_attempts=self.settings["max_attempts"],
        )

    @property
    def report(self) -> RunReport:
        return self.session.report

    @property
    def lands_files(self) -> bool:
        return any(self.settings[f] for f in LANDING_SWITCHES)

    @property
    def landing(self) -> str | None:
        """Where files land (an absolute folder, or the fsspec URL), if any landing is switched on."""
        if not self.lands_files:
            return None
        local = _local_path(self.settings["landing_url"])
        return str(local.absolute()) if local is not None else self.settings["landing_url"]

    def preflight(self) -> None:
        """Check the landing folder, then reach the API once, before anything is written: an
        unwritable landing folder, bad URLs and credentials fail here."""
        local = _local_path(self.settings["landing_url"]) if self.lands_files else None
        if local is not None and (reason := unwritable_reason(local)):
            raise ConfigError(
                f"cannot land files in {local.absolute()}: {reason}; set [sources.lac] landing_url "
                "(SOURCES__LAC__LANDING_URL) to a writable folder"
            )
        base_url = self.session.client.base_url
        try:
            self.session.customer_ids  # noqa: B018 - the request is the point
        except NotFoundError as exc:
            raise ConfigError(
                f"{base_url} does not serve the LAC API ({exc}): "
                "check [sources.lac] base_url (SOURCES__LAC__BASE_URL) ends with /portal"
            ) from exc
        except ApiError as exc:
            if exc.status is not None:
                raise
            raise ConfigError(
                f"could not reach the LAC API at {base_url} ({exc.__cause__ or exc}): "
                "check [sources.lac] base_url (SOURCES__LAC__BASE_URL)"
            ) from exc

    def tenants(self) -> list[str]:
        return self.session.customer_ids

    def source(self) -> DltSource:
        return lac_source(**self.settings, session=self.session)

    def request_counts(self) -> Mapping[str, int]:
        return self.session.client.request_counts

    def close(self) -> None:
        self.session.client.close()


def open_run(overrides: Mapping[str, Any] | None = None, session: LacSession | None = None) -> LacRun:
    """Resolve `[sources.lac]` (with `overrides` winning) and open the run's session."""
    return LacRun(resolve_settings(LacSourceConfig, "lac", overrides), session)
