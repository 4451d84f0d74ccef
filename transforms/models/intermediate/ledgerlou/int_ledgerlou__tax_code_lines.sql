{#- LedgerLou's VAT, from its tax-code lines (journal lines carrying a tax code), into the
    tax-code-line contract (`int_tax_code_lines`): a line on the code's `self_assess_account` is
    output tax (credit - debit), one on its `vat_account` output tax when that is a liability account
    and deductible input tax (debit - credit) otherwise; any other line is the base (revenue:
    credit - debit, else debit - credit). -#}
select
    l.source_system,
    l.customer_id,
    l.period,
    l.row_index,
    l.entry_date,
    l.vat_code as tax_code,
    l.vat_treatment as treatment,
    t.rate_basis_points,
    cast(case
        when l.account_code = t.self_assess_account or l.account_code = t.vat_account then 0
        when l.account_section = 'revenue' then l.credit_cents - l.debit_cents
        else l.debit_cents - l.credit_cents
    end as bigint) as base_cents,
    cast(case
        when l.account_code = t.self_assess_account then l.credit_cents - l.debit_cents
        when l.account_code = t.vat_account and a.account_type = 'liability' then l.credit_cents - l.debit_cents
        else 0
    end as bigint) as output_tax_cents,
    cast(case
        when l.account_code = t.self_assess_account then 0
        when l.account_code = t.vat_account and a.account_type <> 'liability' then l.debit_cents - l.credit_cents
        else 0
    end as bigint) as input_tax_cents
from {{ ref('int_ledgerlou__ledger_lines') }} as l
join {{ ref('int_ledgerlou__tax_codes') }} as t on t.tenant_id = l.customer_id and t.tax_code = l.vat_code
left join {{ ref('int_ledgerlou__accounts') }} as a
    on a.tenant_id = t.tenant_id and a.account_number = t.vat_account
