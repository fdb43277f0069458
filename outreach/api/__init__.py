"""REST endpoints of the outreach engine, mounted on the project API root at "".

One router per concern, gathered in ``router``.
"""

from ninja import Router

from outreach.api import domains, mailboxes, sequences, suppressions

router = Router(tags=["outreach"])
for _module in (mailboxes, domains, sequences, suppressions):
    router.add_router("", _module.router)
