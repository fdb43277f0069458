"""Inbound webhooks: a payment provider telling Kindling that a lead has paid."""
