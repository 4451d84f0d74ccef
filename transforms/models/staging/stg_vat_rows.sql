{{ lac_staging(source('lac', 'vat_rows'),
    {'customer_id': 'varchar', 'period': 'varchar', 'row_index': 'bigint'}) }}
