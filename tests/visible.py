"""Text a user can see in a rendered Bokeh tree (hidden models and inactive tabs left out)."""

from __future__ import annotations


def visible_text(model) -> str:
    from bokeh.model import Model

    if not getattr(model, "visible", True):
        return ""
    if type(model).__name__ == "Tabs":
        children = [model.tabs[model.active].child] if model.tabs else []
    else:
        children = []
        for name in model.properties_with_refs():
            value = getattr(model, name)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                children += [c for c in (item if isinstance(item, tuple) else (item,))
                             if isinstance(c, Model)]
    return " ".join([str(getattr(model, "text", "") or ""), *(visible_text(c) for c in children)])
