"""Colours and shapes the maps and charts share, chosen so that no reading depends on colour.

- Ordered classes (quartiles of a measure) use one hue, light to dark (ColorBrewer *Blues*):
  lightness alone orders them, whatever colours a reader can tell apart.
- Categories (grades, statuses) use the Okabe–Ito set, designed to stay apart under the common
  colour-vision deficiencies, and each also has a shape or a word beside it: statuses are drawn
  as ▲ ■ ● ◆ markers, grades are written out.
- Text drawn over a fill takes whichever of near-black or white contrasts more with it
  (`text_on`), at least 4.5:1 for every colour here (tests/test_views_palette.py).
"""

from __future__ import annotations

RGB = tuple[int, int, int]

# Lowest → highest class.
SEQUENTIAL: tuple[RGB, ...] = ((198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107))
NO_DATA: RGB = (224, 224, 224)

# Okabe & Ito (2008), "Color Universal Design".
ORANGE, SKY, GREEN, YELLOW = (230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66)
BLUE, VERMILLION, PURPLE, BLACK = (0, 114, 178), (213, 94, 0), (204, 121, 167), (0, 0, 0)
GREY = (150, 150, 150)

# Grades, best first: the hues of the leaderboard's badges (🟢 🔵 🟡 🔴 ⚫), colour-blind safe.
GRADES: tuple[RGB, ...] = (GREEN, BLUE, YELLOW, VERMILLION, (60, 60, 60))

# Community statuses: colour and plotly marker symbol, and the same shape as text for captions.
STATUS_COLOURS: dict[str, RGB] = {"started": ORANGE, "completed": BLUE, "accepted": GREEN,
                                  "planned": GREY}
STATUS_SYMBOLS: dict[str, str] = {"started": "triangle-up", "completed": "square",
                                  "accepted": "circle", "planned": "diamond"}
STATUS_GLYPHS: dict[str, str] = {"started": "▲", "completed": "■", "accepted": "●",
                                 "planned": "◆"}

DARK_TEXT: RGB = (17, 17, 17)
LIGHT_TEXT: RGB = (255, 255, 255)


def luminance(colour: RGB) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: RGB) -> RGB:
    """Near-black or white, whichever reads better on `fill`."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast(text, fill))


def hex_colour(colour: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])
