{#- The tax-code-line contract: a double-entry source's VAT, one row per journal line carrying a tax
    code (base, output tax, input tax), every such source (LedgerLou). LAC's VAT follows from its
    single-sided rows instead (`int_ledger_vat`). -#}
select
    source_system, customer_id, period, row_index, entry_date, tax_code, treatment, rate_basis_points,
    base_cents, output_tax_cents, input_tax_cents
from {{ ref('int_ledgerlou__tax_code_lines') }}
