"""Uploads, output packages, import runs and file landing (issue 5: not yet implemented)."""

from dataclasses import dataclass

from dlt.sources import DltResource

from lac_source.session import LacSession


@dataclass(frozen=True)
class LandingSettings:
    url: str = "landing"
    outputs: bool = True
    uploads: bool = True
    import_packages: bool = True
    invoice_files: bool = False


def documents_resources(session: LacSession, landing: LandingSettings) -> list[DltResource]:
    return []
