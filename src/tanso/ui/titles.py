"""Chart titles and captions that fit a phone.

Bokeh draws a title on one line on the canvas and cuts what does not fit the figure; the server does
not know the screen's width. So a title (or a source caption) that would be wider than a phone's
figure is broken between words into lines that fit it, at every width: Bokeh draws each line of a
text with line breaks and makes room for them. Widths are estimated from the character count
(East Asian wide characters take a full em, others at most ≈0.6 em in the sans-serif fonts pages use),
which errs on the wide side, so a line may break a little early, never run off.
"""

from __future__ import annotations

import re
import unicodedata
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
