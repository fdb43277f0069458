"""Every write in the CRM core goes through these functions (see DESIGN.md)."""
