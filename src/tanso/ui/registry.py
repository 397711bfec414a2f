"""The apps of the suite, in the order the landing page shows them.

The landing page lists only the apps whose entry file exists in `apps/` (what `tanso serve`
serves), so it never promises an app that is not there yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from tanso.config import settings

# Line icons (24×24, stroke only) drawn as SVG: no emoji font needed, no tofu.
_ICONS = {
    "trend": '<polyline points="3,17 9,11 13,15 21,7"/><polyline points="15,7 21,7 21,13"/>',
    "factory": '<path d="M3 21V10l6 4V10l6 4V5h6v16z"/>',
    "tree": '<path d="M12 3l7 11H5z"/><path d="M12 14v7"/>',
    "foot": '<ellipse cx="12" cy="14" rx="4" ry="6"/><circle cx="8" cy="5" r="1.5"/><circle cx="16" cy="5" r="1.5"/>',
    "cycle": '<path d="M4 12a8 8 0 0 1 14-5"/><polyline points="18,3 18,7 14,7"/>'
             '<path d="M20 12a8 8 0 0 1-14 5"/><polyline points="6,21 6,17 10,17"/>',
    "news": '<rect x="3" y="4" width="18" height="16" rx="1"/><path d="M7 8h10M7 12h10M7 16h6"/>',
    "shield": '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M9 12l2 2 4-4"/>',
    "table": '<rect x="3" y="4" width="18" height="16" rx="1"/><path d="M3 10h18M3 15h18M9 4v16"/>',
}


@dataclass(frozen=True)
class AppInfo:
    slug: str    # file apps/<slug>.py, served at /<slug>
    icon: str    # a key of _ICONS

    @property
    def title_key(self) -> str:
        return f"app.{self.slug}.title"

    @property
    def desc_key(self) -> str:
        return f"app.{self.slug}.desc"

    def icon_svg(self, colour: str = "#0f766e") -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="32" height="32" fill="none" '
                f'stroke="{colour}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
                f'{_ICONS[self.icon]}</svg>')


APPS = (
    AppInfo("national_trends", "trend"),
    AppInfo("sector_contribution", "factory"),
    AppInfo("vcm_explorer", "tree"),
    AppInfo("news", "news"),
    AppInfo("footprint", "foot"),
    AppInfo("recycling_impact", "cycle"),
    AppInfo("data_runs", "table"),
    AppInfo("admin", "shield"),
)


def available_apps() -> list[AppInfo]:
    """Apps whose entry file exists, so the landing page never links to a 404."""
    return [a for a in APPS if (settings().apps_dir / f"{a.slug}.py").exists()]
