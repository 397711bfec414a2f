"""Climatiq estimates (https://www.climatiq.io/docs/api-reference), first choice when a key is set.

One batch call (`POST /data/v1/estimate/batch`, Bearer auth) prices every activity that has a Climatiq
activity id in ``climatiq_activities.csv``, with a pinned ``data_version`` and ``region`` (falling back to
the global region). Timeouts are short; 429 and 5xx are retried with backoff (honouring ``Retry-After``);
anything else — 400 such as ``no_emission_factors_found`` (common for region KR), 401, a hang, a body that
is not the documented JSON — leaves the local factor in place with the reason on the line. A batch
answers HTTP 200 even when single items fail, so every item is checked on its own.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
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


class ClimatiqError(RuntimeError):
    """The whole call failed; `reason` is what the fallback line shows."""


@lru_cache(maxsize=1)
def activity_map() -> dict[tuple[str, str], dict]:
    frame = pd.read_csv(ACTIVITIES_PATH, dtype=str)
    return {(r.category, r.item): r._asdict() for r in frame.itertuples(index=False)}


def request_body(activity: Activity, mapping: dict, *, data_version: str) -> dict:
    """The documented estimate body: emission_factor selector + parameters for its unit type."""
    kind, unit = mapping["parameters"], mapping["unit"]
    if kind == "energy":
        parameters = {"energy": activity.quantity, "energy_unit": unit}
    elif kind == "passenger_distance":
        parameters = {"passengers": 1, "distance": activity.quantity, "distance_unit": unit}
    else:
        parameters = {"distance": activity.quantity, "distance_unit": unit}
    return {"emission_factor": {"activity_id": mapping["activity_id"], "data_version": data_version,
                                "region": mapping["region"], "region_fallback": True},
            "parameters": parameters}


@dataclass
class ClimatiqClient:
    api_key: str
    base_url: str = API_URL
    data_version: str = DATA_VERSION
    timeout: float = 4.0
    retries: int = 2
    backoff: float = 0.5
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

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
        request = urllib.request.Request(
            self.base_url.rstrip("/") + path, data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"})
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

    def estimate(self, activities: list[Activity]) -> list[RemoteAnswer | None]:
        """One answer per activity: None (no Climatiq mapping), kg with its source, or the failure reason."""
        mapped = [(i, activity_map().get((a.category, a.item))) for i, a in enumerate(activities)]
        mapped = [(i, m) for i, m in mapped if m is not None]
        answers: list[RemoteAnswer | None] = [None] * len(activities)
        if not mapped:
            return answers
        bodies = [request_body(activities[i], m, data_version=self.data_version) for i, m in mapped]
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
            "provider": "climatiq", "factor_id": factor.get("id"), "activity_id": mapping["activity_id"],
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
