"""Page view models: shape engine output for display. Pure pandas, no Streamlit."""
