"""Figure builders: functions returning plotly Figures or pydeck Decks; pages only show them."""

# A chart's legend under it, growing downwards: on a phone it wraps onto more lines instead of
# covering the x axis (a legend anchored at its bottom grows up into the plot).
BELOW = {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"}


def wrap_title(text: str, width: int = 34) -> str:
    """A chart title on two lines when long (plotly does not wrap titles, and a phone is
    about 34 Latin letters wide at the title's size): broken at the last ' · ' or space
    before `width`; Chinese titles are short enough and stay as they are."""
    if len(text) <= width:
        return text
    cut = text.rfind(" · ", 0, width)
    if cut > 0:
        return f"{text[:cut]}<br>{text[cut + 3:]}"
    cut = text.rfind(" ", 0, width)
    return f"{text[:cut]}<br>{text[cut + 1:]}" if cut > 0 else text


def wrap_label(text: str, width: int = 12) -> str:
    """An axis label on as many lines as it needs at `width` letters (words kept whole), so
    that a phone's narrow axis need not tilt it over the legend."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)
