"""The farm's HTTP ingress: FastAPI routes under /v1 (models.farm.wire), auth and limits.

Every route first checks the bearer token (models.farm.auth, constant time) and answers
401 without one. A body is refused by its Content-Length, and again while it is read, once
it passes the byte cap (413); pictures are decoded off the event loop with the game's safe
decoder (models.farm.uploads; 400 with the reason); a client over its jobs-in-flight cap
gets 429. Any of these leaves the farm serving the next request as before.

One ingress replica holds the job table: a job lives where it was submitted. If that
replica dies its jobs are gone, the kiosks get 404 or no answer, and paint locally.
"""
# No `from __future__ import annotations` here: FastAPI reads the routes' parameter types
# (Request) at run time, and Serve's class-based routes hide the module's names from it.
import asyncio
import json

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from ray import serve

from models.farm.auth import token_index
from models.farm.dispatch import FarmCore, ReplicasNotReady
from models.farm.jobs import TooManyJobs
from models.farm.options import FarmOptions
from models.farm.uploads import BadRequest, parse_job
from models.farm.wire import API_VERSION, DONE, HEALTH, JOBS, STATUS


def owner_of(request: Request, digests: tuple[str, ...]) -> str:
    """The caller's identity (token and address), or 401."""
    index = token_index(request.headers.get("authorization"), digests)
    if index is None:
        raise HTTPException(401, "a valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    host = request.client.host if request.client is not None else "?"
    return f"{index}@{host}"


async def read_capped(request: Request, cap: int) -> bytes:
    """The body, or 413 as soon as it is known to be larger than `cap` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > cap):
        raise HTTPException(413, f"the request is larger than {cap} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPException(413, f"the request is larger than {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def ingress_deployment(options: FarmOptions):
    """The ingress as a Serve deployment, with its FastAPI routes built from `options`."""
    api = FastAPI(title="Style Duel render farm", docs_url=None, redoc_url=None,
                  openapi_url=None)           # nothing about the farm for anonymous callers
    digests, limits = options.token_digests, options.limits

    @api.exception_handler(HTTPException)
    async def one_line(request: Request, error: HTTPException):
        return JSONResponse({"detail": str(error.detail)}, error.status_code,
                            headers=error.headers)

    @serve.ingress(api)
    class Ingress:
        def __init__(self, options: FarmOptions, magenta, gatys, score):
            self.core = FarmCore(options, {"magenta": magenta, "gatys": gatys,
                                           "score": score})

        @api.get(HEALTH)
        async def health(self, request: Request):
            owner_of(request, digests)
            return {"ok": True, "api": API_VERSION}

        @api.get(STATUS)
        async def status(self, request: Request):
            owner_of(request, digests)
            return await self.core.status()

        @api.post(JOBS, status_code=202)
        async def submit(self, request: Request):
            owner = owner_of(request, digests)
            body = await read_capped(request, limits.max_body_bytes)
            try:
                parsed = json.loads(body)
            except ValueError:
                raise HTTPException(400, "the body is not JSON") from None
            try:
                job = await asyncio.to_thread(parse_job, parsed, limits,
                                              options.test_behaviours)
            except BadRequest as error:
                raise HTTPException(400, str(error)) from None
            try:
                return await self.core.submit(job, owner)
            except TooManyJobs as error:
                raise HTTPException(429, str(error)) from None
            except ReplicasNotReady as error:
                raise HTTPException(503, str(error)) from None

        @api.get(JOBS + "/{job_id}")
        async def job_status(self, job_id: str, request: Request, since: int = 0):
            return self._record(job_id, request).status(since)

        @api.get(JOBS + "/{job_id}/result")
        async def job_result(self, job_id: str, request: Request):
            record = self._record(job_id, request)
            if record.state != DONE:
                raise HTTPException(409, f"the job is {record.state}"
                                    + (f": {record.reason}" if record.reason else ""))
            return record.result

        @api.delete(JOBS + "/{job_id}")
        async def cancel(self, job_id: str, request: Request):
            return {"cancelled": self.core.cancel(self._record(job_id, request))}

        def _record(self, job_id: str, request: Request):
            record = self.core.jobs.get(job_id, owner_of(request, digests))
            if record is None:
                raise HTTPException(404, "no such job")
            return record

    return serve.deployment(Ingress, name="Ingress", num_replicas=1,
                            max_ongoing_requests=256,
                            ray_actor_options={"num_cpus": options.ingress_cpus})
