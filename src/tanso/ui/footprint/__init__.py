"""Personal footprint app (`apps/footprint.py`): store and views on the app kit."""
