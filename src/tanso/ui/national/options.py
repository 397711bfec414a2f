"""Choice lists of entities, computed once per process, dataset version and language (`pn.cache`)."""

from __future__ import annotations

import panel as pn

from tanso.emissions.national_view import ENTITY_KINDS, NationalData
from tanso.ui.i18n import t
from tanso.ui.national.names import entity_name


def data_key(data: NationalData) -> bytes:
    """What identifies a `NationalData` for caching: its loaded dataset versions (hashing the frame
    itself would cost more than the work cached)."""
    return repr(sorted(data.versions.items())).encode()


@pn.cache(max_items=64, hash_funcs={NationalData: data_key})
def entity_options(data: NationalData, lang: str, kinds: tuple[str, ...], codes_in_label: bool = False) -> dict:
    """label → code for the entities of ``kinds``, kinds in ENTITY_KINDS order, then by name."""
    entities = data.entities
    shown = entities[entities["kind"].isin(list(kinds))]
    names = [entity_name(data, code, lang) for code in shown.index]
    rank = shown["kind"].map({k: i for i, k in enumerate(ENTITY_KINDS)}).to_numpy()
    shown = shown.assign(_rank=rank, _name=names).sort_values(["_rank", "_name"])
    suffix = {k: t(f"kind.{k}", lang) for k in ENTITY_KINDS}
    labels = [f"{name} ({code})" if kind == "country" or codes_in_label else f"{name} · {suffix[kind]}"
              for code, name, kind in zip(shown.index, shown["_name"], shown["kind"], strict=True)]
    return dict(zip(labels, shown.index, strict=True))
