"""One day, end to end: parse → lines (Climatiq first when given, local otherwise) → totals, benchmark,
points, suggestions, summary. The app, the report and `tanso footprint estimate` all call `estimate_day`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tanso.footprint.calculate import Line, Remote, by_category, calculate_lines, lines_frame
from tanso.footprint.day import parse_day
from tanso.footprint.factors import FactorSet
from tanso.footprint.points import Points, award_points
from tanso.footprint.suggestions import Suggestion, suggest_reductions
from tanso.footprint.summary import Summary, describe_day, rephrase


@dataclass(frozen=True)
class DayResult:
    factor_set: dict
    lines: list[Line]
    total_kg: float
    by_category: dict[str, float]
    average_kg: float             # the seed's everyday-activities benchmark (14.5)
    territorial_kg: float         # Korea's territorial emissions per person per day
    points: Points
    suggestions: list[Suggestion]
    summary: Summary

    def to_dict(self) -> dict:
        return {
            "factor_set": self.factor_set, "total_kg": self.total_kg, "by_category": self.by_category,
            "lines": [{k: v for k, v in line.to_dict().items() if k not in ("second_hand", "count")}
                      for line in self.lines],
            "average_kg": self.average_kg,
            "benchmarks": {
                "average_kg": {"value": self.average_kg, "label": "the seed's everyday-activities benchmark "
                               "(stated as the Korean average; no published source found)"},
                "territorial_kg": {"value": self.territorial_kg, "label": "Korea's territorial GHG per person "
                                   "per day (GIR inventory 2022 ÷ population)"}},
            "points": {k: v for k, v in self.points.to_dict().items() if k != "saved_kg"},
            "saved_kg": self.points.saved_kg,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "summary": self.summary.to_dict(),
        }


def estimate_day(day: dict, *, factors: FactorSet, remote: Remote | None = None, lang: str = "en",
                 llm_url: str | None = None, llm_model: str = "default", llm_key: str | None = None) -> DayResult:
    """Raises FootprintInputError (every problem by field) before anything is computed."""
    activities = parse_day(day, factors=factors)
    lines = calculate_lines(activities, factors=factors, remote=remote)
    lines_frame(lines)  # schema check of the typed lines
    totals = by_category(lines)
    total = sum(totals.values())
    average = factors.get("benchmark", "everyday_average", "value")
    territorial = factors.get("benchmark", "korea_territorial", "value")
    text = describe_day(total_kg=total, by_category=totals, average_kg=average, territorial_kg=territorial,
                        car_factor=factors.get("transport", "car", "factor"), lang=lang)
    return DayResult(
        factor_set=factors.describe(), lines=lines, total_kg=total, by_category=totals, average_kg=average,
        territorial_kg=territorial,
        points=award_points(lines, total_kg=total, factors=factors, average_kg=average),
        suggestions=suggest_reductions(lines, factors=factors),
        summary=rephrase(text, lang=lang, url=llm_url, model=llm_model, api_key=llm_key),
    )
