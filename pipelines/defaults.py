"""The stages every workspace starts with: plain data, shared by the service and the migration."""

from __future__ import annotations

# (name, kind, probability %) in board order. Probabilities weight the deal value in forecasts:
# a customer has paid, so its catch-up stages count at 100.
DEFAULT_PIPELINE_NAME = "Sales"
DEFAULT_STAGES: tuple[tuple[str, str, int], ...] = (
    ("Cold", "cold", 5),
    ("Engaged", "engaged", 10),
    ("Warm", "warm", 30),
    ("Customer", "customer", 100),
    ("Catch-up 1", "catch_up", 100),
    ("Catch-up 2", "catch_up", 100),
    ("Catch-up 3", "catch_up", 100),
    ("Catch-up 4", "catch_up", 100),
    ("Lost", "lost", 0),
)
DEFAULT_CURRENCY = "USD"
CATCH_UP_AFTER_DAYS = 30
REFERRALS_TO_ASK = 2
