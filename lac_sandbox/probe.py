"""Scale probe: serve a 1,000,008-row company and page the whole ledger once over HTTP.

Run `python -m lac_sandbox.probe`; prints rows paged, seconds and peak RSS (resource.getrusage, KiB on Linux).
"""

from __future__ import annotations

import resource
import sys
import time

import httpx

from .config import SandboxConfig
from .sandbox import Sandbox


def main(months: int = 36, rows_per_month: int = 27778, limit: int = 200) -> int:
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sb = Sandbox(SandboxConfig(companies=1, months=months, rows_per_month=rows_per_month, outputs=0))
    cid = sb.customer_ids[0]
    t0 = time.monotonic()
    seen = 0
    with (
        sb.serve() as srv,
        httpx.Client(
            base_url=srv.base_url, timeout=120, headers={"Authorization": f"Bearer {sb.read_key(cid)}"}
        ) as c,
    ):
        for period in sb.truth.periods(cid):
            offset = 0
            while True:
                page = c.get(
                    "/sheet", params={"tab": "books", "range": period, "limit": limit, "offset": offset}
                ).json()
                n = len(page["rows"])
                seen += n
                offset += n
                if not page["row_window"]["has_more"]:
                    break
    took = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"rows paged: {seen}  seconds: {took:.1f}  generated: {sb.generated_rows(cid)}  "
        f"peak RSS: {rss / 1024:.1f} MiB (before sandbox: {rss0 / 1024:.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
