"""evalcore: data layer, rubric, scoring and import for the renovation evaluation dashboard."""
