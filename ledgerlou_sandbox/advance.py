"""One deterministic upstream change round per call (see docs/ledgerlou-sandbox.md, "advance()")."""

from __future__ import annotations

import random

from . import dates
from .entries import credit, debit, flip, gross_split, tax_lines
from .generate import Builder
from .money import div_round
from .world import Tenant, World


def advance(world: World) -> dict:
    """Apply one change round to every tenant; returns what changed (the first tenant's at top level)."""
    world.advances += 1
    k = world.advances
    per = {t.tenant_id: _advance_tenant(world, t, k) for t in world.tenants}
    return {"advance": k, **per[world.tenants[0].tenant_id], "tenants": per}


def _advance_tenant(world: World, t: Tenant, k: int) -> dict:
    b = Builder(world, t)
    b.secs = 40_000 + k * 997  # creation stamps after everything generated before
    rng = random.Random(f"{world.cfg.seed}|{t.index}|advance|{k}")
    today, openp = world.today, world.open_period
    prev = dates.shift(openp, -1) if dates.shift(openp, -1) in world.periods else openp
    touched = {openp}

    # 1. a back-dated cash receipt, with its newly uploaded document, into the previous (open) month
    day = min(dates.first_day(prev).replace(day=15), today)
    gross = 1_000 + rng.randrange(0, 20_000)
    net, _ = gross_split(gross, 19)
    vat = tax_lines("VSt19", net, "D")
    net = gross - sum(v.debit for v in vat)
    doc_id = b.add_document(
        f"Nachgereichter Beleg {k}.png",
        "png",
        today,
        "Quittung",
        ("Bewirtung Kundentermin", f"Datum {day}", f"Betrag {gross / 100:.2f} EUR"),
    )
    back = t.journal.add(
        day,
        today,
        b.tick(),
        f"Nachbuchung Bewirtung (Beleg nachgereicht {k})",
        [debit("4650", net, "VSt19"), *vat, credit("1000", gross)],
        source="manual",
        external_reference=f"NACH-{today:%Y%m%d}-{k}",
        document_id=doc_id,
        created_by=t.accountant,
    )
    touched.add(prev)

    # 2. a reversal (in today's month) of a booking of the previous month
    candidates = [
        it
        for it in t.journal.month(prev)
        if it.source in ("manual", "pos")
        and it.intent_id not in t.journal.links
        and it.intent_id != back.intent_id
    ]
    reversal = None
    if candidates:
        orig = candidates[rng.randrange(len(candidates))]
        reversal = t.journal.add(
            today,
            today,
            b.tick(),
            f"Storno: {orig.description}",
            [flip(ln) for ln in orig.lines],
            source="reversal",
            external_reference=orig.external_reference,
            created_by=t.accountant,
        )
        t.journal.link(orig.intent_id, reversal.intent_id)

    # 3. a partial payment of an open invoice: bank transaction, reconciled, remaining amount drops
    pending = {x.hint_invoice_id for x in t.transactions if x.status == "open"}
    open_invs = sorted(
        (
            i
            for i in t.invoices_of("out")
            if i.status in ("open", "partially_paid")
            and i.type == "invoice"
            and i.currency == "EUR"
            and i.invoice_id not in pending
            and i.remaining > 1
        ),
        key=lambda i: (i.due_date, i.invoice_id),
    )
    payment = None
    new_txs = []
    if open_invs:
        inv = open_invs[0]
        part = div_round(inv.remaining * 40, 100)
        before = inv.remaining
        party = t.party(inv.party_id)
        tx = b.transaction(
            b.main_bank, today, part, party.name, party.iban, f"Teilzahlung {inv.invoice_number}"
        )
        b.book_payment(inv, tx, today, part, b.main_bank, part, None, True, created=today)
        new_txs.append(tx.transaction_id)
        payment = {
            "invoice_id": inv.invoice_id,
            "amount": part,
            "remaining_before": before,
            "remaining_after": inv.remaining,
            "transaction_id": tx.transaction_id,
            "intent_id": tx.intent_id,
        }
    fee = b.transaction(
        b.main_bank, today, -1_500, b.main_bank.bank_name, None, f"Entgelt Auslandsüberweisung {k}"
    )
    new_txs.append(fee.transaction_id)

    # 4. a customer (odd rounds) or vendor (even rounds) is deactivated
    role = "customer" if k % 2 else "vendor"
    pool = [p for p in (t.customers if role == "customer" else t.vendors) if p.is_active]
    deactivated = None
    if pool:
        victim = pool[-1]
        victim.is_active = False
        victim.updated_at = dates.stamp(today, b.tick())
        deactivated = {"kind": role, "id": victim.party_id}

    # 5. the oldest unlocked month before the previous one is locked
    locked = None
    limit = dates.month_index(prev)
    for p in sorted(t.periods):
        per = t.periods[p]
        if per.status != "locked" and dates.month_index(p) < limit:
            per.status, per.locked_by = "locked", t.accountant
            per.locked_at = dates.stamp(today, b.tick())
            per.request_id = per.requested_by = per.requested_at = None
            per.closing_hash = t.closing_hash(p)
            locked = {"period": p, "closing_hash": per.closing_hash}
            break

    intents = (
        [back.intent_id]
        + ([reversal.intent_id] if reversal else [])
        + ([payment["intent_id"]] if payment else [])
    )
    return {
        "intents_new": intents,
        "backdated": {"intent_id": back.intent_id, "booking_date": back.booking_date, "period": prev},
        "reversal": None
        if reversal is None
        else {"intent_id": reversal.intent_id, "reverses": orig.intent_id, "original_period": prev},
        "payment": payment,
        "deactivated": deactivated,
        "period_locked": locked,
        "documents_new": [doc_id],
        "transactions_new": new_txs,
        "periods_touched": sorted(touched),
    }
