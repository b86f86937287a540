"""sozialdash: a dashboard for kommunale Sozialplanung on a DuckDB store."""
