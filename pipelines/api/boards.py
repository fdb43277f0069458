"""/pipelines and /stages: the pipelines of a workspace, their stages, the board."""

from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import RecordId, errors
from pipelines.permissions import require_admin
from pipelines.schemas import (
    BoardOut,
    BoardQuery,
    ColumnQuery,
    EntryPageOut,
    MovedOut,
    PipelineIn,
    PipelineOut,
    PipelinePatch,
    StageCreateIn,
    StageOrderIn,
    StageOut,
    StagePatch,
)
from pipelines.selectors.board import (
    board_columns,
    column_page,
    pipeline_get,
    pipelines_of,
    stage_get,
)
from pipelines.services import (
    pipeline_create,
    pipeline_create_default,
    pipeline_delete,
    pipeline_rename,
    stage_create,
    stage_delete,
    stage_update,
    stages_reorder,
)

router = Router(tags=["pipelines"])


def _admin(request: ApiRequest) -> None:
    require_admin(workspace=request.workspace, user=request.user)


@router.get("/pipelines", response={200: list[PipelineOut], **errors()}, summary="List pipelines")
def pipelines_list(request: ApiRequest):
    pipeline_create_default(workspace=request.workspace)
    return pipelines_of(workspace=request.workspace).prefetch_related("stages")


@router.post(
    "/pipelines",
    response={201: PipelineOut, **errors(403, 409, 422)},
    summary="Create a pipeline",
    description="With the standard stages unless `stages` are given. Owners and admins only.",
)
def pipelines_create(request: ApiRequest, payload: PipelineIn):
    _admin(request)
    stages = [s.dict() for s in payload.stages] if payload.stages is not None else None
    pipeline = pipeline_create(
        workspace=request.workspace,
        name=payload.name,
        stages=stages,  # type: ignore[attr-defined]
    )
    return Status(201, pipeline)


@router.get(
    "/pipelines/{pipeline_id}", response={200: PipelineOut, **errors(404)}, summary="Get a pipeline"
)
def pipelines_get(request: ApiRequest, pipeline_id: RecordId):
    return pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)


@router.patch(
    "/pipelines/{pipeline_id}",
    response={200: PipelineOut, **errors(403, 404, 409, 422)},
    summary="Rename a pipeline",
)
def pipelines_patch(request: ApiRequest, pipeline_id: RecordId, payload: PipelinePatch):
    pipeline = pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)
    _admin(request)
    return pipeline_rename(pipeline=pipeline, name=payload.name)


@router.delete(
    "/pipelines/{pipeline_id}",
    response={204: None, **errors(403, 404, 409)},
    summary="Delete a pipeline",
    description="Not the default one.",
)
def pipelines_delete(request: ApiRequest, pipeline_id: RecordId):
    pipeline = pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)
    _admin(request)
    pipeline_delete(pipeline=pipeline)
    return Status(204, None)


@router.post(
    "/pipelines/{pipeline_id}/stages",
    response={201: StageOut, **errors(403, 404, 422)},
    summary="Add a stage",
)
def stages_create(request: ApiRequest, pipeline_id: RecordId, payload: StageCreateIn):
    pipeline = pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)
    _admin(request)
    return Status(201, stage_create(pipeline=pipeline, **payload.dict()))


@router.put(
    "/pipelines/{pipeline_id}/stage-order",
    response={200: list[StageOut], **errors(403, 404, 422)},
    summary="Reorder stages",
    description="Every stage id of the pipeline, once, in the new order.",
)
def stages_order(request: ApiRequest, pipeline_id: RecordId, payload: StageOrderIn):
    pipeline = pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)
    _admin(request)
    return stages_reorder(pipeline=pipeline, stage_ids=payload.stage_ids)


@router.patch(
    "/stages/{stage_id}",
    response={200: StageOut, **errors(403, 404, 422)},
    summary="Rename a stage or change its kind or probability",
)
def stages_patch(request: ApiRequest, stage_id: RecordId, payload: StagePatch):
    stage = stage_get(workspace=request.workspace, stage_id=stage_id)
    _admin(request)
    return stage_update(stage=stage, data=payload.dict(exclude_unset=True))


@router.delete(
    "/stages/{stage_id}",
    response={200: MovedOut, **errors(403, 404, 409, 422)},
    summary="Remove a stage",
    description="A stage with leads needs `move_to_stage_id`: where its leads go (each move is "
    "recorded).",
)
def stages_delete(
    request: ApiRequest, stage_id: RecordId, move_to_stage_id: RecordId | None = None
):
    stage = stage_get(workspace=request.workspace, stage_id=stage_id)
    _admin(request)
    move_to = (
        stage_get(workspace=request.workspace, stage_id=move_to_stage_id)
        if move_to_stage_id
        else None
    )
    moved = stage_delete(stage=stage, move_to=move_to, actor=actor_of(request))
    return {"moved": moved}


@router.get(
    "/pipelines/{pipeline_id}/board",
    response={200: BoardOut, **errors(404, 422)},
    summary="The board's columns",
    description="Count, total and weighted value per stage for the filters, from aggregate "
    "queries. Cards come from /stages/{id}/entries, page by page.",
)
def board(request: ApiRequest, pipeline_id: RecordId, query: Query[BoardQuery]):  # type: ignore[type-arg]
    pipeline = pipeline_get(workspace=request.workspace, pipeline_id=pipeline_id)
    return {
        "pipeline": pipeline,
        "columns": board_columns(pipeline=pipeline, filters=query.to_filters()),
    }


@router.get(
    "/stages/{stage_id}/entries",
    response={200: EntryPageOut, **errors(404, 422)},
    summary="One page of a board column",
    description="Newest arrivals first; follow `next_cursor`.",
)
def column(request: ApiRequest, stage_id: RecordId, query: Query[ColumnQuery]):  # type: ignore[type-arg]
    stage = stage_get(workspace=request.workspace, stage_id=stage_id)
    page = column_page(
        stage=stage, filters=query.to_filters(), cursor=query.cursor, limit=query.limit
    )
    return {"items": page.entries, "next_cursor": page.next_cursor}
