"""Inbound automation: form builders and automation tools that cannot send headers post leads
to a per-workspace URL whose path carries a secret token."""
