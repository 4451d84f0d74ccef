"""One `lac run --source ledgerlou`: the `SourceRun` the pipeline drives (`lac_connector.kit.protocol`)."""

from collections.abc import Mapping
from typing import Any

from dlt.extract.source import DltSource

from lac_connector.kit.config import resolve_settings
from lac_connector.kit.errors import ApiError, ConfigError, NotFoundError
from lac_connector.kit.report import RunReport
from ledgerlou_source.config import LedgerLouSourceConfig
from ledgerlou_source.session import LedgerLouSession, build_session
from ledgerlou_source.source import checked_window, field_settings, ledgerlou_source


class LedgerLouRun:
    """The LedgerLou source for one run: settings resolved once, one session, one report."""

    name = "ledgerlou"

    def __init__(self, settings: Mapping[str, Any], session: LedgerLouSession | None = None) -> None:
        self.settings = dict(settings)
        checked_window(
            self.settings["start_period"],
            self.settings["end_period"],
            self.settings["lookback_months"],
            self.settings["full_refresh"],
            self.settings["balance_history_days"],
        )
        self.session = session or build_session(
            api_key=self.settings["api_key"],
            base_url=self.settings["base_url"],
            tenant=self.settings["tenant"],
            field_settings=field_settings(self.settings),
            base_currency=self.settings["base_currency"],
            page_limit=self.settings["page_limit"],
            journal_page_limit=self.settings["journal_page_limit"],
            concurrency=self.settings["concurrency"],
            max_attempts=self.settings["max_attempts"],
        )

    @property
    def report(self) -> RunReport:
        return self.session.report

    def preflight(self) -> None:
        """Reach the API once before anything is written: bad URLs and credentials fail here.

        `/v1/periods` is read (every run needs it anyway, and it is kept for the run).
        """
        from ledgerlou_source.planner import listed_periods

        base_url = self.session.client.base_url
        try:
            listed_periods(self.session)
        except NotFoundError as exc:
            raise ConfigError(
                f"{base_url} does not serve the LedgerLou API ({exc}): check [sources.ledgerlou] base_url "
                "(the URL /v1/... is served under)"
            ) from exc
        except ApiError as exc:
            if exc.status is not None:
                raise
            raise ConfigError(
                f"could not reach the LedgerLou API at {base_url} ({exc.__cause__ or exc}): "
                "check [sources.ledgerlou] base_url"
            ) from exc

    def tenants(self) -> list[str]:
        return [self.session.tenant]

    def source(self) -> DltSource:
        return ledgerlou_source(**self.settings, session=self.session)

    def request_counts(self) -> Mapping[str, int]:
        return self.session.client.request_counts

    def close(self) -> None:
        self.session.client.close()


def open_run(
    overrides: Mapping[str, Any] | None = None, session: LedgerLouSession | None = None
) -> LedgerLouRun:
    """Resolve `[sources.ledgerlou]` (with `overrides` winning) and open the run's session."""
    return LedgerLouRun(resolve_settings(LedgerLouSourceConfig, "ledgerlou", overrides), session)
