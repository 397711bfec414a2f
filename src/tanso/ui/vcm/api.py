"""Read-only JSON of the VCM explorer's queries, no key needed: a `panel serve --plugins` module.

    GET /api/vcm/projects?query=cookstove&registry=verra&page=2   search + facets (same
                                                                   parameters as the app's URL)
    GET /api/vcm/projects/<id>                                    one project (any id spelling)
    GET /api/vcm/stats?source=merged&by=registry                  statistics
    GET /api/vcm/reconcile                                        sources and disagreements

Bad parameters get 400 with {"error": "..."}; the database down gets 503 without details.
Queries run in a worker thread so the server's event loop keeps serving app sessions.
"""

from __future__ import annotations

import asyncio
import json
import logging

import tornado.web

log = logging.getLogger("tanso.vcm.api")


def _engine():
    from tanso.db.engine import check_connection, get_engine

    return check_connection(get_engine(start_embedded=False))


def _frame_records(frame) -> list[dict]:
    from tanso.vcm.queries import _records

    return _records(frame)


class _JsonHandler(tornado.web.RequestHandler):
    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Access-Control-Allow-Origin", "*")  # open data, read-only
        self.set_header("Cache-Control", "public, max-age=60")

    def params(self) -> dict[str, list[str]]:
        return {k: [v.decode("utf-8", "replace") for v in vs]
                for k, vs in self.request.query_arguments.items()}

    async def answer(self, compute) -> None:
        from tanso.db.engine import DatabaseUnavailable

        try:
            payload = await asyncio.to_thread(compute)
        except ValueError as exc:
            self.set_status(400)
            payload = {"error": str(exc)}
        except DatabaseUnavailable as exc:
            log.warning("vcm api: database unavailable: %s", exc)
            self.set_status(503)
            payload = {"error": "the database is unavailable; try again shortly"}
        if payload is None:
            self.set_status(404)
            payload = {"error": "not found"}
        self.write(json.dumps(payload, ensure_ascii=False, default=str))


class ProjectsHandler(_JsonHandler):
    async def get(self) -> None:
        from tanso.vcm import queries

        def compute():
            filters = queries.Filters.from_mapping(self.params())
            return queries.search(_engine(), filters).as_dict()
        await self.answer(compute)


class ProjectHandler(_JsonHandler):
    async def get(self, project_id: str) -> None:
        from tanso.vcm import queries

        def compute():
            page = queries.project(_engine(), project_id)
            if page is None:
                return None
            return {"project": page.project,
                    **{name: _frame_records(getattr(page, name)) for name in
                       ("sources", "credit_years", "transactions", "flags", "disagreements")}}
        await self.answer(compute)


class StatsHandler(_JsonHandler):
    async def get(self) -> None:
        from tanso.vcm import queries

        def compute():
            params = {k: v[-1] for k, v in self.params().items()}
            frame = queries.stats(_engine(), source=params.get("source", "merged"),
                                  by=params.get("by", "registry"))
            return _frame_records(frame)
        await self.answer(compute)


class ReconcileHandler(_JsonHandler):
    async def get(self) -> None:
        from tanso.vcm import queries

        await self.answer(lambda: queries.reconciliation(_engine()))


ROUTES = [
    ("/api/vcm/projects", ProjectsHandler, {}),
    (r"/api/vcm/projects/([^/]{1,64})", ProjectHandler, {}),
    ("/api/vcm/stats", StatsHandler, {}),
    ("/api/vcm/reconcile", ReconcileHandler, {}),
]
