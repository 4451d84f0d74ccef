{{ lac_staging(source('lac', 'invoice_lines'),
    {'customer_id': 'varchar', 'invoice_id': 'varchar', 'line_index': 'bigint'}) }}
