"""The installed connector's version and the User-Agent every source sends."""

from importlib.metadata import PackageNotFoundError, version

try:
    PACKAGE_VERSION = version("lac-connector")
except PackageNotFoundError:  # running from a source tree that was not installed
    PACKAGE_VERSION = "0.0.0"
USER_AGENT = f"lac-connector/{PACKAGE_VERSION} (+dlt source)"
