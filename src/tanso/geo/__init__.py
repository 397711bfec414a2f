"""World boundaries: Natural Earth country shapes → `core.country_boundaries`, and their map projection."""
