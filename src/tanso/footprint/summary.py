"""A plain-language summary of the day, deterministic; optionally rephrased by an OpenAI-compatible LLM.

The LLM (``TANSO_LLM_URL``, off by default) only rephrases the deterministic text. Its answer is used only
if it keeps every number of the original; on any failure or change of numbers the deterministic text
stands, and the result says which one it is.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass

CATEGORY_NAMES = {
    "transport": ("transport", "교통"), "clothing": ("clothing", "의류"), "food": ("food", "식품"),
    "waste": ("waste", "쓰레기"), "electricity": ("electricity", "전기"), "water": ("water", "물"),
}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Summary:
    text: str
    lang: str
    source: str  # "deterministic" or "llm:<model>"
    fallback_reason: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def describe_day(*, total_kg: float, by_category: dict[str, float], average_kg: float, territorial_kg: float,
                 car_factor: float, lang: str = "en") -> str:
    """Deterministic text: total vs the benchmark, the largest category, an everyday comparison."""
    ko = lang == "ko"
    if total_kg <= 0:
        return ("오늘 기록된 활동에서는 탄소 배출이 없습니다." if ko
                else "Nothing you logged today emits CO2e.")
    top = max(by_category, key=by_category.get)
    share = by_category[top] / total_kg * 100
    diff = abs(average_kg - total_kg)
    car_km = total_kg / car_factor
    name_en, name_ko = CATEGORY_NAMES[top]
    if ko:
        direction = "낮습니다" if total_kg <= average_kg else "높습니다"
        return (f"오늘의 탄소 배출량은 {total_kg:.1f} kg CO2e로, 일상 활동 기준치 {average_kg:g} kg보다 "
                f"{diff:.1f} kg {direction}. 가장 큰 부분은 {name_ko}({by_category[top]:.1f} kg, {share:.0f}%)입니다. "
                f"휘발유 승용차로 약 {car_km:.0f} km를 달린 것과 같습니다. 참고: {average_kg:g} kg은 시드 문서의 "
                f"일상 활동 기준치(출처 미확인)이며, 한국의 1인당 영토 배출량은 하루 약 {territorial_kg:g} kg입니다.")
    direction = "below" if total_kg <= average_kg else "above"
    return (f"Today you emitted {total_kg:.1f} kg CO2e, {diff:.1f} kg {direction} the {average_kg:g} kg "
            f"everyday-activities benchmark. The largest part was {name_en} ({by_category[top]:.1f} kg, "
            f"{share:.0f} %). That is about as much as driving a petrol car {car_km:.0f} km. For scale: "
            f"{average_kg:g} kg is the seed's benchmark (no published source); Korea's territorial emissions "
            f"come to about {territorial_kg:g} kg per person per day.")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def rephrase(text: str, *, lang: str, url: str | None, model: str = "default", api_key: str | None = None,
             timeout: float = 5.0) -> Summary:
    """Ask an OpenAI-compatible chat endpoint (`url` ends before /chat/completions) to rephrase `text`."""
    if not url:
        return Summary(text, lang, "deterministic")
    if not url.startswith(("http://", "https://")):
        return Summary(text, lang, "deterministic", "TANSO_LLM_URL must be an http(s) URL")
    body = {"model": model, "temperature": 0, "messages": [
        {"role": "system", "content": "Rephrase the user's carbon-footprint summary warmly and briefly, in the "
                                      "same language. Keep every number exactly as written."},
        {"role": "user", "content": text}]}
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {api_key}"} if api_key else {})
    request = urllib.request.Request(url.rstrip("/") + "/chat/completions", data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
            answer = json.loads(response.read())["choices"][0]["message"]["content"].strip()
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        return Summary(text, lang, "deterministic", f"LLM unavailable: {type(exc).__name__}: {exc}"[:200])
    if not answer or not _numbers(text) <= _numbers(answer):
        return Summary(text, lang, "deterministic", "LLM changed or dropped a number; kept the original")
    return Summary(answer, lang, f"llm:{model}")
