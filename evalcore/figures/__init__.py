"""Figure builders: functions returning plotly Figures or pydeck Decks; pages only show them."""
