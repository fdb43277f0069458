"""Reads, always scoped to a workspace: another workspace's row is simply not found (404)."""
