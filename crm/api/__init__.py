"""The REST API root: /api/v1, docs at /api/docs. Each app adds its router here."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer

from crm.api.fallback import SERVER_ERROR_BODY
from crm.errors import Conflict, DomainError
from crm.models import ApiKey
from crm.services.api_keys import api_key_authenticate
from crm.throttle import TooManyAttempts, api_key_cool_down, api_key_failed, client_ip


class BearerKey(HttpBearer):
    """``Authorization: Bearer kdl_…``"""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return _bind(request, _checked_key(request, token))


class HeaderKey(APIKeyHeader):
    """``X-API-Key: kdl_…``"""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return _bind(request, _checked_key(request, key or ""))


def _checked_key(request: HttpRequest, token: str) -> ApiKey | None:
    """The key of ``token``; bad keys are counted per address, and after too many every key
    from that address is refused for a while (a 429), so keys cannot be guessed at speed."""
    if not token:
        return None
    ip = client_ip(request)
    wait = api_key_cool_down(ip=ip)
    if wait is not None:
        raise TooManyAttempts(wait, "invalid API keys")
    key = api_key_authenticate(token)
    if key is None:
        api_key_failed(ip=ip)
    return key


def _bind(request: HttpRequest, key: ApiKey | None) -> ApiKey | None:
    if key is not None:
        request.workspace = key.workspace  # type: ignore[attr-defined]
        request.user = key.user
    return key


api = NinjaAPI(
    title="Kindling API",
    version="1",
    description="Leads, companies, lists, tags, timelines and tasks of one workspace. "
    "Authenticate with an API key: `Authorization: Bearer kdl_…` or `X-API-Key: kdl_…`.",
    auth=[BearerKey(), HeaderKey()],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict = {"detail": exc.message, "errors": exc.errors}
    if isinstance(exc, Conflict) and exc.existing_id is not None:
        body["existing_id"] = exc.existing_id
    response = api.create_response(request, body, status=exc.status)
    if isinstance(exc, TooManyAttempts):
        response["Retry-After"] = str(exc.retry_after)
    return response


# Leading parts of a pydantic error location that name where the value came from, not the field.
_LOC_SOURCES = frozenset({"body", "payload", "query", "path"})


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ())]
        while loc and loc[0] in _LOC_SOURCES:
            loc.pop(0)
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        errors.setdefault(".".join(loc) or "request", []).append(message)
    return api.create_response(
        request, {"detail": "Invalid request.", "errors": errors}, status=422
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Same shape as every other error (a body that is not JSON is one of these).
    return api.create_response(
        request, {"detail": exc.message, "errors": {}}, status=exc.status_code
    )


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request body is too large.", "errors": {}}, status=413
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Missing or invalid API key.", "errors": {}}, status=401
    )


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not the caller's fault: logged with its traceback as Django logs a 500 (and
    # signalled, so the test client re-raises it), answered in the API's JSON shape, not HTML.
    got_request_exception.send(sender=None, request=request)
    response = api.create_response(request, SERVER_ERROR_BODY, status=500)
    log_response(
        "%s: %s", response.reason_phrase, request.path, response=response, request=request,
        exception=exc,
    )  # fmt: skip
    return response


def _add_routers() -> None:
    # Imported here: routers import services, which import models, which need apps loaded.
    from crm.api.routers import ROUTERS

    for prefix, router in ROUTERS:
        api.add_router(prefix, router)


_add_routers()
