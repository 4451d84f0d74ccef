{{ lac_staging(source('lac', 'statement_lines'),
    {'customer_id': 'varchar', 'period': 'varchar', 'statement_set': 'varchar',
     'statement_path': 'varchar', 'line_index': 'bigint'}) }}
