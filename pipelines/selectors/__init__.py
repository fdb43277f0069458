"""Reads of the pipelines app: workspace-scoped, 404 for another workspace's rows."""
