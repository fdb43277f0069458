"""The one seam for "something happened": domain events, their types and their subscribers.

Services call ``event_record`` (or ``events_record_batch``) inside the transaction of the change.
The event row is the outbox that outbound webhooks read; subscribers registered by other apps at
start-up react in process: inside the transaction when the reaction must be atomic with the
change (placing a new lead in the pipeline), else after commit.
"""

from crm.events.bus import Occurrence, subscribe
from crm.events.record import EventItem, event_record, events_record_batch, events_record_each
from crm.events.types import EventType, event_type_get, event_type_register, event_types

__all__ = [
    "EventItem",
    "EventType",
    "Occurrence",
    "event_record",
    "event_type_get",
    "event_type_register",
    "event_types",
    "events_record_batch",
    "events_record_each",
    "subscribe",
]
