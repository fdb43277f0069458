"""Inbox sync: read new mail over IMAP, classify it, act on replies, bounces and unsubscribes."""
