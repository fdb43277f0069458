"""Web UI of the integrations app: the import wizard and the export page."""
