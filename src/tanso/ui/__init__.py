"""Shared UI: the page template, the message catalog (English/Korean) and the app registry."""
