"""What every session of a process shares, built once per database and loaded dataset versions (`pn.cache`).

The apps read their data by asking `ops.loaded_datasets` which versions are loaded (one cheap query),
then call a function decorated here with the engine and those versions: a new load while serving is a
new key, and the database is named by its URL with the password masked (the data, not the credentials).
"""

from __future__ import annotations

import functools
import threading

import panel as pn
import sqlalchemy as sa


def engine_key(engine: sa.Engine) -> bytes:
    return str(engine.url).encode()  # str() masks the password


def per_version(*, max_items: int):
    """Decorate ``build(engine, versions, ...)`` (versions hashable by `pn.cache`: a str, a sorted tuple) so
    that it runs once per process and key, keeping the newest ``max_items`` results.

    `pn.cache` alone would let two sessions opening a page at the same time both build (it locks only
    around its dict), so the build holds a lock of its own; ``.clear()`` empties the cache (tests).
    """
    def decorate(build):
        cached = pn.cache(build, max_items=max_items, hash_funcs={sa.Engine: engine_key})
        lock = threading.Lock()

        @functools.wraps(build)
        def once(*args, **kwargs):
            with lock:
                return cached(*args, **kwargs)

        once.clear = cached.clear
        return once
    return decorate
