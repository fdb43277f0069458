"""Web pages of the pipelines app: the board, panels other pages embed, reports, settings."""
