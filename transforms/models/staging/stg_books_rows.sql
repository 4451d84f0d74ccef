{{ lac_staging(source('lac', 'books_rows'),
    {'customer_id': 'varchar', 'period': 'varchar', 'row_index': 'bigint'}) }}
