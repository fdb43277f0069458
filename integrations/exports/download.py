"""The leads CSV as an HTTP download: checked before the first byte, cut short on a failure.

A streamed response has sent "200 OK" before its rows are read, so a failure while streaming
cannot become an error status. Two defences: the filter's query runs once before the response
starts (a query that cannot run is an error answer, not an empty file), and a failure after
that is logged and re-raised, so the server aborts the transfer (no final chunk) and the
client sees a broken download instead of a short file that looks whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from crm.models import Lead
from integrations.exports.leads_csv import leads_csv_chunks

logger = logging.getLogger(__name__)


def leads_csv_download(
    *, leads: QuerySet[Lead], columns: list[tuple[str, str]], content_type: str = "text/csv"
) -> StreamingHttpResponse:
    """The streaming response of the export of ``leads`` with ``columns``."""
    list(leads.order_by().values_list("id")[:1])
    response = StreamingHttpResponse(
        _cut_short_on_error(leads_csv_chunks(leads=leads, columns=columns)),
        content_type=content_type,
    )
    response["Content-Disposition"] = 'attachment; filename="leads.csv"'
    return response


def _cut_short_on_error(chunks: Iterator[str]) -> Iterator[str]:
    try:
        yield from chunks
    except Exception:
        logger.exception("The leads export failed while streaming; the download was cut short.")
        raise
