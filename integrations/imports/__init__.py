"""Lead import: files as SDRs get them (CSV in any dialect, Excel) → leads, set-based and resumable.

Reading order: ``dialects`` (bytes → rows), ``presets`` and ``mapping`` (columns → lead fields),
``rows`` (one row → a clean lead or its problems), ``companies`` and ``chunk`` (a chunk of rows →
database writes through ``writer_postgres`` / ``writer_sqlite``), ``jobs`` (the ImportJob
lifecycle: start, run, cancel, resume), ``errors_report`` (bad rows back as CSV).
"""
