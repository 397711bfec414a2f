"""Recycling-campaign calculator app (`apps/recycling_impact.py`): stores and views on the app kit."""
