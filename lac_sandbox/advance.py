"""`advance()`: one deterministic round of upstream changes (see docs/sandbox.md), reporting what changed."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from . import calendar as cal
from . import documents, invoicing, workspace
from .company import Company
from .derive import stamp

if TYPE_CHECKING:
    from .world import World


def advance(w: World) -> dict:
    """One deterministic upstream change round (see docs/sandbox.md); returns exactly what changed."""
    w.advances += 1
    k = w.advances
    per = {c.cid: _advance_company(w, c, k) for c in w.companies}
    first = per[w.companies[0].cid]
    return {"advance": k, **first, "customers": per}


def _advance_company(w: World, c: Company, k: int) -> dict:
    led, rng = c.ledger, random.Random(f"{w.cfg.seed}|{c.cid}|advance|{k}")
    changed_at = stamp(w.today, 600 + k)
    ch: dict = {"rows_added": [], "rows_edited": [], "rows_deleted": []}
    openp = w.open_period
    for n in range(2 + k % 3):
        acc = rng.choice(["3000", "3010", "3050", "4000", "6800", "4050"])
        net = rng.randrange(5000, 200000) * (1 if acc.startswith("3") else -1)
        r = led.append_row(openp, acc, net, f"Uusi tapahtuma {k}/{n + 1}", "Kuusi Consulting Oy")
        ch["rows_added"].append({"period": openp, "seq": r["seq"]})

    def edit(period: str, count: int, salt: int) -> None:
        if period not in w.periods:
            return
        for seq in led.live_seqs_sample(period, count, salt):
            old = led.row(period, seq)
            new_net = old["net_cents"] + (1 if old["net_cents"] >= 0 else -1) * (1000 + rng.randrange(9000))
            led.edit_row(period, seq, new_net)
            ch["rows_edited"].append(
                {
                    "period": period,
                    "seq": seq,
                    "old_net_cents": old["net_cents"],
                    "new_net_cents": new_net,
                }
            )

    edit(cal.shift(openp, -1), 2, k * 10 + 1)
    two_back = cal.shift(openp, -2)
    if two_back in w.periods:
        for seq in led.live_seqs_sample(two_back, 1, k * 10 + 2):
            led.delete_row(two_back, seq)
            ch["rows_deleted"].append({"period": two_back, "seq": seq})
    old_period = cal.shift(openp, -8 - (k % 3))
    if old_period not in w.periods:
        old_period = w.periods[0]
    edit(old_period, 1, k * 10 + 3)
    ch["periods_touched"] = sorted(
        {x["period"] for key in ("rows_added", "rows_edited", "rows_deleted") for x in ch[key]}
    )
    # invoices
    paid = [i for i in c.invoices if i["status"] == "sent"][:2]
    if len(paid) < 2:
        paid += [i for i in c.invoices if i["status"] == "overdue"][: 2 - len(paid)]
    for inv in paid:
        inv["status"] = "paid"
        inv["updated_at"] = changed_at
    ch["invoices_paid"] = [i["id"] for i in paid]
    paid_ids = set(ch["invoices_paid"])
    victims = [i for i in c.invoices if i["status"] == "draft"] or [
        i for i in c.invoices if i["id"] not in paid_ids
    ]
    ch["invoices_removed"] = []
    if victims:
        c.invoices.remove(victims[0])
        ch["invoices_removed"].append(victims[0]["id"])
    next_n = max([int(i["id"][4:]) for i in c.invoices] + [w.cfg.invoices + 3 * (k - 1)]) + 1
    new = [invoicing.invoice(w, c, next_n + j, rng, age_days=0, draft=False, status="sent") for j in range(3)]
    for inv in new:
        inv["updated_at"] = changed_at
    c.invoices.extend(new)
    ch["invoices_new"] = [i["id"] for i in new]
    # messages, uploads, outputs, imports
    base = len(c.messages)
    msgs = [workspace.message(base + j, w.today) for j in range(2)]
    for m in msgs:
        m["sent_at"] = changed_at
    c.messages.extend(msgs)
    ch["messages_new"] = [m["id"] for m in msgs]
    ch["uploads_new"] = [documents.add_upload(c, len(c.uploads), w.today)["filename"]]
    ch["outputs_new"] = [documents.add_output(w, c, len(c.outputs), w.today)["output_id"]]
    ch["imports_new"] = [documents.add_import(c, len(c.imports), w.today)["run_id"]]
    return ch
