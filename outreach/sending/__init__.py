"""The send path: planning (scheduler), composing (mime), delivering (transport), the sender."""
