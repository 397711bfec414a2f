"""Chart titles and captions that fit their plot, from a phone to a desktop.

Bokeh draws a title on one line on the canvas and cuts what does not fit the figure. So a title (or a
source caption) is broken between words into lines that fit it: Bokeh draws each line of a text with
line breaks and makes room for them. The server learns the plot's width only from the browser, which
reports it after drawing (and again when it changes): `set_fitted` fits to a phone's width until then,
then to the width reported, never narrower than a phone's (phones keep the lines they had). Widths are
estimated from the character count (East Asian wide characters take a full em, others at most ≈0.6 em
in the sans-serif fonts pages use), which errs on the wide side, so a line may break a little early,
never run off.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from functools import lru_cache

# A figure on a 360–390 px phone is ≈350–380 px wide; a vertical toolbar beside it and the title's
# padding leave ≈300 px for text.
PHONE_PX = 300
NARROW_EM = 0.62  # the widest average of Latin/digit text in bold system sans-serif fonts (measured ≈0.57)


def text_width(text: str, font_size: str) -> float:
    """Estimated width in px of `text` at `font_size` ('12pt', '14px'; a figure's default title is
    1.15 em of the page's 12 px, ≈14 px)."""
    number, unit = re.fullmatch(r"\s*([\d.]+)\s*(pt|px)\s*", font_size).groups()
    px = float(number) * (4 / 3 if unit == "pt" else 1)
    return sum(px * (1.0 if unicodedata.east_asian_width(c) in "WF" else NARROW_EM) for c in text)


@lru_cache(maxsize=2048)
def fit(text: str, font_size: str, width: float = PHONE_PX) -> str:
    """`text` broken between words into as few lines as fit `width` px, of even lengths (no last line
    of one word): the narrowest width that still gives that many lines. Remembered per process (a
    chart's title and caption are fitted on every change, ~0.4 ms each; the same ones come back)."""
    lines = _greedy(text, font_size, width)
    narrower = width
    while len(lines) > 1 and len(fewer := _greedy(text, font_size, narrower - 10)) == len(lines):
        lines, narrower = fewer, narrower - 10
    return "\n".join(lines)


def _greedy(text: str, font_size: str, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", font_size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def available(width: int | None) -> int:
    """The width to fit a plot's texts to: a phone's until the browser has reported the plot's width, then
    that width, rounded down to 20 px (the width moves by a few px with the axis labels of each
    indicator: no new lines, nor a new fit to remember, for that) and never narrower than a phone's."""
    return PHONE_PX if not width else max(PHONE_PX, width // 20 * 20)


class _Fitted:
    """A figure's texts as given and the width of its plot in the browser (None until reported)."""

    def __init__(self, figure) -> None:
        self.width: int | None = None
        self.texts: dict = {}  # title or caption → (text, font size)
        # A toolbar above the plot (a square figure's) stands in the title's row, ~30 px a button
        self.toolbar = 30 * len(figure.toolbar.tools) + 10 if figure.toolbar_location == "above" else 0
        figure.on_change("inner_width", self._resized)

    def _resized(self, attr, old, new) -> None:  # the browser's report, on the event loop (document locked)
        self.width = new - self.toolbar
        for part in list(self.texts):  # a worker thread may add a text meanwhile (apps served with threads)
            self.show(part)

    def show(self, part) -> None:
        text, font_size = self.texts[part]
        value = fit(text, font_size, available(self.width))
        if part.text != value:  # each set is a message to the browser
            part.text = value


_FITTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # figure → _Fitted


def set_fitted(figure, part, text: str, font_size: str) -> None:
    """``part.text = text`` (``part``: the figure's title or a caption Title of it) in lines that fit the
    plot's width, fitted again when the browser reports a new width (a desktop's is ~1000 px, a
    phone's ~300: fitted to a phone's, a desktop's titles took two or three short lines)."""
    if figure not in _FITTED:
        _FITTED[figure] = _Fitted(figure)
    fitted = _FITTED[figure]
    fitted.texts[part] = (text, font_size)
    fitted.show(part)
