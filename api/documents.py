"""Document routes: list and read indexed articles; add, replace and delete them.

Writes go through the same idempotent ingestion as ``qa ingest`` and need
``Authorization: Bearer <QA_API_KEY>`` when a key is configured; reads are open.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.errors import error_responses
from api.schemas import (
    Document,
    DocumentDeleted,
    DocumentIn,
    DocumentList,
    DocumentSummary,
    DocumentWritten,
)
from api.state import AppSettings, Service
from qa.types import FetchError, FetchFailure, IngestOutcome

router = APIRouter(tags=["documents"], responses=error_responses(413, 429, 503))
FETCH_STATUS = {
    FetchFailure.REFUSED: status.HTTP_400_BAD_REQUEST,
    FetchFailure.TOO_LARGE: status.HTTP_413_CONTENT_TOO_LARGE,
    FetchFailure.UNSUPPORTED: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    FetchFailure.FAILED: status.HTTP_502_BAD_GATEWAY,
}
bearer = HTTPBearer(auto_error=False, description="QA_API_KEY, when the server sets one.")


def require_api_key(
    settings: AppSettings,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Let the request through if no key is configured or it carries the key."""
    if settings.api_key is None:
        return
    expected = settings.api_key.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials else b""
    if not hmac.compare_digest(given, expected):  # constant time: no timing oracle
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid API key is required: send Authorization: Bearer <QA_API_KEY>",
            headers={"WWW-Authenticate": "Bearer"},
        )


UPLOAD_BODY = {
    "content": {
        "application/json": {"schema": DocumentIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "name": {"type": "string", "description": "Overrides the file's name."},
                },
            }
        },
    },
    "required": True,
}


@router.get("/api/documents", response_model=DocumentList)
async def list_documents(
    service: Service,
    limit: Annotated[
        int | None, Query(ge=1, description="At most this many articles (all if unset).")
    ] = None,
    offset: Annotated[int, Query(ge=0, description="Articles to skip, by name order.")] = 0,
) -> DocumentList:
    """The indexed articles, by name, with their metadata and chunk counts: all of them,
    or a page of them (`limit`, `offset`); `total` counts them all."""
    records = await run_in_threadpool(service.articles)
    page = records[offset : None if limit is None else offset + limit]
    return DocumentList(
        documents=[DocumentSummary.from_record(r) for r in page], total=len(records)
    )


@router.get(
    "/api/documents/{source}",
    response_model=Document,
    responses=error_responses(404),
)
async def get_document(source: str, service: Service) -> Document:
    """One article: its cleaned text (as indexed) and metadata."""
    found = await run_in_threadpool(service.article, source)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no indexed article {source!r}")
    passages = await run_in_threadpool(service.article_passages, source)
    return Document.from_article(*found, passages)


@router.post(
    "/api/documents",
    response_model=DocumentWritten,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_api_key)],
    responses={
        **error_responses(400, 401, 415, 422, 502, 507),
        200: {"model": DocumentWritten, "description": "Replaced or unchanged."},
    },
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def add_document(
    request: Request, response: Response, service: Service, settings: AppSettings
) -> DocumentWritten:
    """Add or replace an article: JSON `{name, text}`, JSON `{url}` (the page is fetched
    and its article extracted), or a multipart file upload.

    201 when it is new; 200 when it replaced an article of that name or was unchanged.
    A URL that is refused (not http(s), a private address, too many redirects) is 400,
    a page too large 413, not HTML or text 415, and one that cannot be fetched 502.
    """
    name, data, url = await _read_document(request, settings.max_document_bytes)
    try:
        if url is not None:
            name, outcome, detail = await run_in_threadpool(service.add_url, url)
        else:
            outcome, detail = await run_in_threadpool(service.add_article, name, data)
    except FetchError as error:
        raise HTTPException(FETCH_STATUS[error.failure], str(error)) from error
    except ValueError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
    if outcome is IngestOutcome.SKIPPED:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{name}: {detail}; nothing was indexed")
    if outcome is not IngestOutcome.ADDED:
        response.status_code = status.HTTP_200_OK
    return DocumentWritten(id=name, outcome=outcome.value, detail=detail)


@router.delete(
    "/api/documents/{source}",
    response_model=DocumentDeleted,
    dependencies=[Depends(require_api_key)],
    responses=error_responses(401, 404, 507),
)
async def delete_document(source: str, service: Service) -> DocumentDeleted:
    """Remove an article and all its chunks from both indexes."""
    # decided by what the delete removed, not by a look beforehand: of two deletes at
    # once, the second removes nothing and is a 404
    removed = await run_in_threadpool(service.delete, source)
    if not removed:
        alike = await run_in_threadpool(service.named_alike, source)
        hint = f"; did you mean {alike!r}?" if alike else ""
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no indexed article {source!r}{hint}")
    return DocumentDeleted(id=source, deleted_chunks=removed)


async def _read_document(request: Request, limit: int) -> tuple[str, bytes, str | None]:
    """The file name and bytes of the uploaded article (or the URL to fetch), or the
    right 4xx."""
    too_large = HTTPException(
        status.HTTP_413_CONTENT_TOO_LARGE, f"the article is over the {limit:,}-byte limit"
    )
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "the form has no `file` part")
        data = await upload.read(limit + 1)
        given_name = form.get("name")
        name = given_name if isinstance(given_name, str) and given_name else upload.filename
        if not name:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "the upload has no file name")
    elif media_type in ("application/json", ""):
        try:
            document = DocumentIn.model_validate_json(await request.body())
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
            ) from error
        if document.url is not None:
            return "", b"", document.url
        assert document.name is not None and document.text is not None  # validated
        name, data = document.name, document.text.encode()
    else:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            "send application/json {name, text} or {url}, or a multipart/form-data `file` upload",
        )
    if len(data) > limit:
        raise too_large
    if not data.strip():
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{name}: the article is empty")
    return name, data, None
