{{ lac_staging(source('lac', 'invoices'), {'customer_id': 'varchar', 'id': 'varchar'}) }}
