"""The apps of the suite, in the order the landing page shows them."""

from __future__ import annotations

from dataclasses import dataclass

from tanso.config import settings


@dataclass(frozen=True)
class AppInfo:
    slug: str    # file apps/<slug>.py, served at /<slug>
    icon: str

    @property
    def title_key(self) -> str:
        return f"app.{self.slug}.title"

    @property
    def desc_key(self) -> str:
        return f"app.{self.slug}.desc"


APPS = (
    AppInfo("national_trends", "📈"),
    AppInfo("sector_contribution", "🏭"),
    AppInfo("vcm_explorer", "🌳"),
    AppInfo("footprint", "👣"),
    AppInfo("recycling_impact", "♻️"),
    AppInfo("data_runs", "🗂️"),
)


def available_apps() -> list[AppInfo]:
    """Apps whose entry file exists, so the landing page never links to a 404."""
    return [a for a in APPS if (settings().apps_dir / f"{a.slug}.py").exists()]
