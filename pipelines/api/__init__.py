"""REST endpoints of the pipelines app, mounted on the project API root (crm/api) at "".

One router per concern, gathered in ``router``.
"""

from ninja import Router

from pipelines.api import boards, entries, leads, moves, reports

router = Router(tags=["pipelines"])
for _module in (boards, entries, leads, moves, reports):
    router.add_router("", _module.router)
