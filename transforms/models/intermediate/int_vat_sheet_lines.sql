{#- The VAT-sheet-line contract: the API's own VAT sheet, one row per sheet row, every source. -#}
select
    source_system, customer_id, period, row_index, entry_date, account_code, vat_code,
    vat_rate_basis_points, base_cents, output_vat_cents, input_vat_cents
from {{ ref('int_lac__vat_sheet_lines') }}
