"""`tagbench serve FOLDER`: a shipped tagger over HTTP (FastAPI on uvicorn).

    POST /tag       {"projects": [{"title": ..., "description": ...} or {"text": ...}, ...],
                     "scores": false}  ->  {"baseline": ..., "results": [{"tags": [...]}]}
    GET  /health    {"status": "ok", "baseline": ...}
    GET  /card      the model card (markdown)
    GET  /manifest  what the tagger is and was built from

Requests are batched: the projects of all requests waiting at one moment go through the model
together (up to `batch` of them), in one worker thread, so many clients share one model.
Every request is checked before it is queued: a bad one is answered 4xx with JSON naming the
field ({"detail": [{"field": "projects.2.title", "message": ...}]}), and the service goes on.
It keeps no state between requests: more cores are `--workers N`, more machines are replicas
behind any load balancer.
"""

import asyncio
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, create_model

from tagbench.core.errors import TagbenchError
from tagbench.data.readers import MAX_CHARS
from tagbench.serving.api import load_tagger, verify
from tagbench.serving.artifact import CARD

MAX_PROJECTS = 256  # projects in one request


class Batcher:
    """Runs the texts of every waiting request through the tagger together, at most `size`
    at once, in one worker thread; each request gets its own results back, in order."""

    def __init__(self, tagger, size):
        self.tagger, self.size = tagger, size
        self.queue = asyncio.Queue()

    async def tag(self, texts):
        done = asyncio.get_running_loop().create_future()
        await self.queue.put((texts, done))
        return await done

    async def run(self):
        loop, held = asyncio.get_running_loop(), None
        while True:
            waiting, held = [held or await self.queue.get()], None
            count = len(waiting[0][0])
            while not self.queue.empty():
                item = self.queue.get_nowait()
                if count + len(item[0]) > self.size:
                    held = item  # the next batch's first
                    break
                waiting.append(item)
                count += len(item[0])
            texts = [text for batch, _ in waiting for text in batch]
            try:
                results = await loop.run_in_executor(None, self.tagger.predictor.predict, texts)
            except Exception as e:  # the model failed: every waiting request hears it
                for _, done in waiting:
                    done.set_exception(e)
                continue
            for batch, done in waiting:
                done.set_result(results[:len(batch)])
                results = results[len(batch):]


def request_model(fields, max_chars):
    """The body of POST /tag: projects of the dataset's text fields, or of "text", each
    non-empty and at most max_chars; no other key anywhere."""
    text = (StrictStr | None, Field(None, max_length=max_chars))
    project = create_model("Project", __config__=ConfigDict(extra="forbid"),
                           **{f: text for f in [*fields, "text"]})

    class TagRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        projects: list[project] = Field(min_length=1, max_length=MAX_PROJECTS)
        scores: StrictBool = False

    return TagRequest


def invalid(field, message):
    return JSONResponse({"detail": [{"field": field, "message": message}]}, status_code=422)


def create_app(folder, batch=64, max_chars=MAX_CHARS):
    """The service of the shipped tagger in folder (loaded and checked here: a missing or
    changed file stops it before it serves)."""
    tagger = load_tagger(folder)
    card = (tagger.folder / CARD).read_text(encoding="utf-8")
    body = request_model(tagger.fields, max_chars)
    batcher = Batcher(tagger, batch)

    @asynccontextmanager
    async def lifespan(app):
        worker = asyncio.create_task(batcher.run())
        yield
        worker.cancel()

    app = FastAPI(title=f"tagbench: {tagger.name}", lifespan=lifespan)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request, error):
        found = [{"field": "body", "message": f"malformed JSON at character {e['loc'][-1]} "
                  f"({e['ctx']['error']})"} if e["type"] == "json_invalid" else
                 {"field": ".".join(str(part) for part in e["loc"][1:]) or "body",
                  "message": e["msg"]} for e in error.errors()]
        return JSONResponse({"detail": found}, status_code=422)

    @app.post("/tag")
    async def tag(request: body):
        texts = []
        for i, project in enumerate(request.projects):
            try:
                texts.append(tagger.text(project.model_dump(exclude_none=True), f"projects.{i}"))
            except TagbenchError as e:
                return invalid(f"projects.{i}", str(e))
        results = await batcher.tag(texts)
        keep = (lambda r: r) if request.scores else (lambda r: {"tags": r["tags"]})
        return {"baseline": tagger.name, "results": [keep(r) for r in results]}

    @app.get("/health")
    async def health():
        return {"status": "ok", "baseline": tagger.name}

    @app.get("/card", response_class=PlainTextResponse)
    async def model_card():
        return card

    @app.get("/manifest")
    async def manifest():
        return tagger.manifest
    return app


FOLDER, BATCH = "TAGBENCH_SERVE_FOLDER", "TAGBENCH_SERVE_BATCH"


def from_environment():
    """create_app for uvicorn's workers (`tagbench serve`), each a process of its own: the
    folder and batch size come from the environment."""
    return create_app(os.environ[FOLDER], int(os.environ.get(BATCH, 64)))


def serve(folder, host, port, workers, batch):
    """Check the folder, then serve it with uvicorn (`workers` processes)."""
    import uvicorn

    verify(folder)  # a missing or changed file: one line, before any worker starts
    os.environ[FOLDER], os.environ[BATCH] = str(folder), str(batch)
    uvicorn.run("tagbench.serving.service:from_environment", factory=True, host=host,
                port=port, workers=workers, log_level="warning")
