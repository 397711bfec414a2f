"""Climatiq estimates (https://www.climatiq.io/docs/api-reference), first choice when a key is set.

One batch call (`POST /data/v1/estimate/batch`, Bearer auth) prices every activity that has a Climatiq
activity id in ``climatiq_activities.csv``, with a pinned ``data_version`` and ``region`` (falling back to
the global region). Food has no stable activity id, so a row may name a search instead (the seed prices
only pasta through Climatiq): `GET /data/v1/search` with the pinned data version finds the factor once
per client, and the estimate selects it by its id. A row's ``per_unit`` converts the quantity with the
active factor set (pasta: servings × ``kg_per_serving`` 0.25 = kg sent as weight). Timeouts are short; 429 and 5xx are retried with backoff (honouring ``Retry-After``);
anything else — 400 such as ``no_emission_factors_found`` (common for region KR), 401, a hang, a body that
is not the documented JSON — leaves the local factor in place with the reason on the line. A batch
answers HTTP 200 even when single items fail, so every item is checked on its own.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tanso.footprint.calculate import RemoteAnswer
from tanso.footprint.day import Activity

API_URL = "https://api.climatiq.io"
DATA_VERSION = "31"  # pinned: a fixed release gives reproducible results (a "^31" would float)
ACTIVITIES_PATH = Path(__file__).with_name("climatiq_activities.csv")
RETRY_STATUSES = {429, 500, 502, 503, 504}
UNIT_TO_KG = {"kg": 1.0, "t": 1000.0, "g": 0.001, "lb": 0.45359237}
MAX_RETRY_AFTER = 10.0
UNIT_TYPES = {"weight": "Weight", "energy": "Energy", "distance": "Distance",
              "passenger_distance": "PassengerOverDistance"}


class ClimatiqError(RuntimeError):
    """The whole call failed; `reason` is what the fallback line shows."""


@lru_cache(maxsize=1)
def activity_map() -> dict[tuple[str, str], dict]:
    frame = pd.read_csv(ACTIVITIES_PATH, dtype=str, keep_default_na=False)  # an empty cell is "", not NaN
    return {(r.category, r.item): r._asdict() for r in frame.itertuples(index=False)}


def request_body(activity: Activity, mapping: dict, *, data_version: str, quantity: float | None = None,
                 factor_id: str | None = None) -> dict:
    """The documented estimate body: emission_factor selector + parameters for its unit type.

    ``quantity`` in the mapping's unit (default: the activity's own); ``factor_id`` selects one exact
    factor found by a search (then the selector is just the id)."""
    kind, unit = mapping["parameters"], mapping["unit"]
    amount = activity.quantity if quantity is None else quantity
    if kind == "energy":
        parameters = {"energy": amount, "energy_unit": unit}
    elif kind == "passenger_distance":
        parameters = {"passengers": 1, "distance": amount, "distance_unit": unit}
    elif kind == "weight":
        parameters = {"weight": amount, "weight_unit": unit}
    else:
        parameters = {"distance": amount, "distance_unit": unit}
    if factor_id is not None:
        return {"emission_factor": {"id": factor_id}, "parameters": parameters}
    return {"emission_factor": {"activity_id": mapping["activity_id"], "data_version": data_version,
                                "region": mapping["region"], "region_fallback": True},
            "parameters": parameters}


def mapped_quantity(activity: Activity, mapping: dict, factors) -> float | None:
    """The quantity in the mapping's unit: as logged, or × the set's ``per_unit`` (None when unknown)."""
    if not mapping.get("per_unit"):
        return activity.quantity
    per_unit = factors.get(activity.category, activity.item, mapping["per_unit"]) if factors is not None else None
    return None if per_unit is None else activity.quantity * per_unit


@dataclass
class ClimatiqClient:
    api_key: str
    base_url: str = API_URL
    data_version: str = DATA_VERSION
    timeout: float = 4.0
    retries: int = 2
    backoff: float = 0.5
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    _found: dict = field(default_factory=dict, repr=False)  # (query, unit type) → factor found by search

    @classmethod
    def from_env(cls, environ=os.environ) -> ClimatiqClient | None:
        key = environ.get("CLIMATIQ_API_KEY", "").strip()
        if not key:
            return None
        return cls(api_key=key, base_url=environ.get("CLIMATIQ_API_URL", API_URL),
                   data_version=environ.get("CLIMATIQ_DATA_VERSION", DATA_VERSION))

    def __repr__(self) -> str:  # never print the key
        return f"ClimatiqClient(base_url={self.base_url!r}, data_version={self.data_version!r})"

    def _post(self, path: str, body) -> object:
        return self._call(urllib.request.Request(
            self.base_url.rstrip("/") + path, data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"}))

    def _get(self, path: str, query: dict) -> object:
        return self._call(urllib.request.Request(
            self.base_url.rstrip("/") + path + "?" + urllib.parse.urlencode(query), method="GET",
            headers={"Authorization": f"Bearer {self.api_key}"}))

    def _call(self, request: urllib.request.Request) -> object:
        if not self.base_url.startswith(("http://", "https://")):
            raise ClimatiqError("CLIMATIQ_API_URL must be an http(s) URL")
        for attempt in range(self.retries + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310
                    return json.loads(response.read())
            except urllib.error.HTTPError as exc:
                detail = _error_detail(exc)
                if exc.code in RETRY_STATUSES and attempt < self.retries:
                    self.sleep(_retry_delay(exc, self.backoff * 2 ** attempt))
                    continue
                raise ClimatiqError(f"Climatiq HTTP {exc.code}{detail}") from None
            except TimeoutError:
                raise ClimatiqError(f"Climatiq did not answer within {self.timeout:g} s") from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError):
                    raise ClimatiqError(f"Climatiq did not answer within {self.timeout:g} s") from None
                raise ClimatiqError(f"Climatiq unreachable: {exc.reason}") from None
            except (ValueError, OSError) as exc:
                raise ClimatiqError(f"Climatiq answer unreadable: {type(exc).__name__}") from None
        raise ClimatiqError("Climatiq: retries exhausted")  # pragma: no cover - loop always returns/raises

    def search_factor(self, query: str, unit_type: str) -> dict:
        """The first factor a search finds at the pinned data version ({id, activity_id, …}); cached."""
        key = (query, unit_type)
        if key not in self._found:
            payload = self._get("/data/v1/search", {"data_version": self.data_version, "query": query,
                                                    "unit_type": unit_type, "results_per_page": 1})
            results = payload.get("results") if isinstance(payload, dict) else None
            if not results or not isinstance(results[0], dict) or not results[0].get("id"):
                raise ClimatiqError(f"Climatiq: no factor found for {query!r} at data version {self.data_version}")
            self._found[key] = results[0]
        return self._found[key]

    def estimate(self, activities: list[Activity], factors=None) -> list[RemoteAnswer | None]:
        """One answer per activity: None (no Climatiq mapping), kg with its source, or the failure reason.

        ``factors``: the active set, for mappings that convert the quantity (pasta servings → kg)."""
        answers: list[RemoteAnswer | None] = [None] * len(activities)
        mapped, bodies = [], []
        for i, activity in enumerate(activities):
            mapping = activity_map().get((activity.category, activity.item))
            quantity = mapped_quantity(activity, mapping, factors) if mapping else None
            if quantity is None:
                continue  # no mapping, or no conversion for it in this set: the local line stands
            found = None
            if mapping.get("search"):
                try:
                    found = self.search_factor(mapping["search"], UNIT_TYPES[mapping["parameters"]])
                except ClimatiqError as exc:
                    answers[i] = RemoteAnswer(reason=str(exc))
                    continue
                mapping = mapping | {"activity_id": found.get("activity_id") or mapping["search"],
                                     "factor_id": found["id"]}
            mapped.append((i, mapping | {"quantity": quantity}))
            bodies.append(request_body(activity, mapping, data_version=self.data_version, quantity=quantity,
                                       factor_id=found["id"] if found else None))
        if not mapped:
            return answers
        try:
            payload = self._post("/data/v1/estimate/batch", bodies)
            results = payload["results"] if isinstance(payload, dict) else None
            if not isinstance(results, list) or len(results) != len(bodies):
                raise ClimatiqError("Climatiq batch answer does not have one result per request")
        except (ClimatiqError, KeyError, TypeError) as exc:
            reason = str(exc) if isinstance(exc, ClimatiqError) else "Climatiq batch answer has no results"
            for i, _ in mapped:
                answers[i] = RemoteAnswer(reason=reason)
            return answers
        for (i, m), item in zip(mapped, results, strict=True):
            answers[i] = self._answer(item, m)
        return answers

    def _answer(self, item, mapping: dict) -> RemoteAnswer:
        if not isinstance(item, dict) or "error" in item:
            code = item.get("error_code") or item.get("error") if isinstance(item, dict) else None
            message = item.get("message", "") if isinstance(item, dict) else ""
            return RemoteAnswer(reason=f"Climatiq: {code or 'item failed'}" + (f" ({message})" if message else ""))
        try:
            kg = float(item["co2e"]) * UNIT_TO_KG[item.get("co2e_unit", "kg")]
        except (KeyError, TypeError, ValueError):
            return RemoteAnswer(reason="Climatiq: result without a usable co2e")
        factor = item.get("emission_factor") or {}
        return RemoteAnswer(kg=kg, source={
            "provider": "climatiq", "factor_id": factor.get("id") or mapping.get("factor_id"),
            "activity_id": mapping["activity_id"],
            "quantity_sent": mapping["quantity"], "unit_sent": mapping["unit"],
            "data_version": self.data_version, "region": factor.get("region", mapping["region"]),
            "year": factor.get("year"), "factor_source": factor.get("source"),
            "calculation_method": item.get("co2e_calculation_method")})


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return ""
    code = body.get("error_code") if isinstance(body, dict) else None
    message = body.get("message") if isinstance(body, dict) else None
    return (f": {code}" if code else "") + (f" ({message})" if message else "")


def _retry_delay(exc: urllib.error.HTTPError, default: float) -> float:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value))) if value is not None else default
    except ValueError:
        return default
