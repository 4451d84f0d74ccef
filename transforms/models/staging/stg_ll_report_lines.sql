{{ lac_staging(source('ledgerlou', 'll_report_lines'),
    {'tenant_id': 'varchar', 'report_type': 'varchar', 'period': 'varchar', 'line_index': 'bigint'}) }}
