"""Request and response shapes of the REST API, one module per resource.

Inputs forbid unknown fields, so a typo in a client ("emial") is a 422 naming the field instead
of a silent no-op. Outputs list their fields one by one: a new column never leaks by accident.
"""
