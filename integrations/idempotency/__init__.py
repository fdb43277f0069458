"""``Idempotency-Key`` (IETF httpapi draft): a retried POST gets the first answer, not a twin.

Honoured per workspace for 24 hours on the API's POSTs (through the middleware) and on the
inbound lead URL (which calls :func:`idempotent_response` itself).
"""
