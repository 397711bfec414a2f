"""Voluntary carbon market: VROD, OffsetsDB and raw registry exports in one harmonised shape.

One module per source (`vrod`, `offsetsdb`, `verra`, `gold_standard`, `apx` for ACR/CAR/ART,
`isometric`, `cercarbono`, `vrod_tabs`), each a chain of pure DataFrame → DataFrame steps
ending in a pandera check (`schema`). `ids` gives every project one canonical id, `reconcile`
compares the sources, `flags` lists data-quality problems, `search` is the read-only query
module the CLI and the app share. No Panel and no database writes here.
"""
