"""Parts inventory (配件管理): catalog, stock, lots, reservations, issues and traceability."""
