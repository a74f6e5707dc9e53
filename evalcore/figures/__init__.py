"""Figure builders: functions returning plotly Figures or pydeck Decks; pages only show them."""

# A chart's legend under it, growing downwards: on a phone it wraps onto more lines instead of
# covering the x axis (a legend anchored at its bottom grows up into the plot).
BELOW = {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"}
