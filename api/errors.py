"""Every error is JSON with a message and the right status; nothing leaks as a bare 500.

Our routes answer ``{"detail": "..."}`` (plus ``errors`` for a body that fails
validation). The OpenAI-compatible routes under ``/v1/`` answer OpenAI's shape,
``{"error": {"message", "type", "code"}}``, with 400 for a bad body, as its clients expect.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from api.schemas import ErrorBody
from api.state import STORE_RETRY_SECONDS
from qa.service import STORE_OUTAGES, BusyError, StoreNotWritable, store_outage

log = logging.getLogger(__name__)

ERROR_DESCRIPTIONS = {
    400: "The request cannot be served as sent (the message says why).",
    401: "QA_API_KEY is set and the request does not carry it.",
    404: "No such article, route or model.",
    413: "The request body is over its limit.",
    415: "The body is neither JSON nor a form upload.",
    422: "The request is not valid (the message names the field).",
    429: "Too many requests from this client (QA_RATE_LIMIT); see Retry-After.",
    502: "The page at the given URL could not be fetched (the message says why).",
    503: "The index is still loading or failed to load, the vector store does not "
    "answer, or the language model's queue is full; see Retry-After.",
    507: "The store takes no writes: its disk is nearly full, or a write failed and the "
    "service must be restarted (the message says which).",
}


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ModelNotFound(HTTPException):
    """A model name this server does not answer as: OpenAI's ``model_not_found``."""

    code = "model_not_found"

    def __init__(self, message: str) -> None:
        super().__init__(404, message)


class OpenAIErrorBody(BaseModel):
    error: OpenAIErrorDetail


def error_responses(
    *codes: int, model: type[BaseModel] = ErrorBody
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error statuses a route can answer."""
    return {code: {"model": model, "description": ERROR_DESCRIPTIONS[code]} for code in codes}


OPENAI_PREFIX = "/v1/"
BUSY_RETRY_SECONDS = 5
_OPENAI_TYPES = {
    401: "authentication_error",
    429: "rate_limit_error",
    503: "server_overloaded",
}


def error_response(
    request: Request,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    code: str | None = None,
) -> JSONResponse:
    content: dict[str, Any]
    if request.url.path.startswith(OPENAI_PREFIX):
        kind = _OPENAI_TYPES.get(
            status, "invalid_request_error" if status < 500 else "server_error"
        )
        # OpenAI names the one field at fault
        param = (errors[0]["field"] or None) if errors and len(errors) == 1 else None
        content = {"error": {"message": message, "type": kind, "param": param, "code": code}}
    else:
        content = {"detail": message, **({"errors": errors} if errors else {})}
    return JSONResponse(status_code=status, content=content, headers=headers)


def _described(error: Mapping[str, Any]) -> dict[str, str]:
    """A validation error as the field it is about and what is wrong with it. A body that
    is not JSON is about the body, at the position where the JSON broke (FastAPI puts
    that position where a field's name goes)."""
    if error["type"] == "json_invalid":
        reason = error.get("ctx", {}).get("error", "")
        where = error["loc"][-1]
        # pydantic's own reading of a body (an article upload) names the line and column in
        # its reason instead
        at = f" at character {where}" if isinstance(where, int) else ""
        return {"field": "", "message": f"invalid JSON{at}: {reason}"}
    message = error["msg"]
    if error["type"] == "unsupported":  # named by the check (``openai_compat._unsupported``)
        return {"field": error["ctx"]["field"], "message": message}
    if error["type"] == "value_error":  # our validators' own words, without pydantic's prefix
        message = str(error.get("ctx", {}).get("error", message.removeprefix("Value error, ")))
    return {"field": ".".join(str(p) for p in error["loc"][1:]), "message": message}


def _unreadable_body(error: HTTPException) -> str | None:
    """Why a body FastAPI could not read as JSON is unreadable: FastAPI says only "There
    was an error parsing the body" and keeps the reason as the error's cause."""
    cause = error.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return f"invalid JSON: the body is not UTF-8 text ({cause.reason} at byte {cause.start})"
    if isinstance(cause, RecursionError):
        return "invalid JSON: nested too deeply"
    return None


def _invalid(request: Request, errors: list[dict[str, str]]) -> JSONResponse:
    message = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors)
    status = 400 if request.url.path.startswith(OPENAI_PREFIX) else 422
    return error_response(request, status, message, errors=errors)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        if unreadable := _unreadable_body(error):
            return _invalid(request, [{"field": "", "message": unreadable}])
        message = str(error.detail)
        if error.status_code in (404, 405) and message in ("Not Found", "Method Not Allowed"):
            message = f"{message.lower()}: {request.method} {request.url.path}"
        code = getattr(error, "code", None)
        return error_response(request, error.status_code, message, error.headers, code=code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return _invalid(request, [_described(e) for e in error.errors()])

    @app.exception_handler(BusyError)
    async def busy(request: Request, error: BusyError) -> JSONResponse:
        headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
        return error_response(request, 503, str(error), headers)

    @app.exception_handler(StoreNotWritable)
    async def not_writable(request: Request, error: StoreNotWritable) -> JSONResponse:
        log.warning("%s %s: %s", request.method, request.url.path, error)
        return error_response(request, 507, str(error))

    async def store_failing(request: Request, error: Exception) -> JSONResponse:
        message = store_outage(error) or str(error)
        log.warning("%s %s: %s", request.method, request.url.path, message)
        headers = {"Retry-After": str(STORE_RETRY_SECONDS)}
        return error_response(request, 503, message, headers)

    for outage in STORE_OUTAGES:
        app.add_exception_handler(outage, store_failing)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal error; the server log has the details")
