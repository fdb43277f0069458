"""Outbound webhooks (the Standard Webhooks specification): what happened, signed and retried.

Read in the order a message travels: ``endpoints`` (who listens) → ``fanout`` (pending events
become deliveries) → ``claim`` (a lease on due deliveries) → ``signing`` + ``send`` (one signed
POST) → ``outcome`` (success, back-off, disabling) → ``replay``. ``passes`` runs them all once.
"""
