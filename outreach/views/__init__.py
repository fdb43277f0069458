"""Web pages of the outreach engine."""
