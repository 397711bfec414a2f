"""Every source → the tables the `vcm` pipeline loads, in one call the notebook, the CLI
tests and the benchmark share.

Inputs are the raw frames as read from the catalog (one per file); the result is typed
(`VcmTables`). Registry exports come as {registry: {file stem: frame}}, e.g.
{"verra": {"projects": …, "transactions": …}, "art-trees": {"projects": …, "issuances": …}}.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tanso.vcm import (
    apx,
    cercarbono,
    flags,
    gold_standard,
    isometric,
    offsetsdb,
    reconcile,
    schema,
    verra,
    vrod,
    vrod_tabs,
)
from tanso.vcm.checks import InputError
from tanso.vcm.ids import REGISTRIES


@dataclass(frozen=True)
class VcmTables:
    source_projects: pd.DataFrame   # one row per (source, project)
    projects: pd.DataFrame          # merged, one row per canonical project id
    credit_years: pd.DataFrame      # VROD yearly blocks, long
    transactions: pd.DataFrame      # registry exports and VROD 2021 tabs
    disagreements: pd.DataFrame
    flags: pd.DataFrame
    reconciliation: reconcile.Reconciliation


def parse_registry_export(registry: str, files: dict[str, pd.DataFrame]
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One registry's export files → (projects, transactions)."""
    if registry not in REGISTRIES:
        raise InputError(f"registry export {registry!r}: unknown registry "
                         f"(known: {', '.join(REGISTRIES)})")
    projects = pd.DataFrame()
    transactions = []
    kinds = {"issuances": "issuance", "retirements": "retirement",
             "cancellations": "cancellation"}
    if "projects" in files:
        projects = {"verra": verra.parse_projects, "gold-standard": gold_standard.parse_projects,
                    "isometric": isometric.parse_projects,
                    "cercarbono": cercarbono.parse_projects}.get(
            registry, lambda raw: apx.parse_projects(raw, registry=registry))(files["projects"])
    for stem, raw in files.items():
        file = f"{registry}/{stem}.csv"
        if stem == "projects":
            continue
        if registry == "verra" and stem == "transactions":
            transactions.append(verra.parse_transactions(raw, file=file))
        elif stem not in kinds:
            raise InputError(f"{file}: unknown export file (expected projects, "
                             f"{', '.join(kinds)})")
        elif registry == "gold-standard":
            transactions.append(gold_standard.parse_transactions(raw, kind=kinds[stem], file=file))
        elif registry == "isometric":
            ids = isometric.short_codes(files["projects"]) if "projects" in files else {}
            transactions.append(isometric.parse_transactions(raw, kind=kinds[stem],
                                                             project_ids=ids, file=file))
        elif registry == "cercarbono":
            transactions.append(cercarbono.parse_transactions(raw, kind=kinds[stem], file=file))
        else:
            transactions.append(apx.parse_transactions(raw, registry=registry, kind=kinds[stem],
                                                       file=file))
    return projects, (pd.concat(transactions, ignore_index=True) if transactions
                      else pd.DataFrame())


def build_tables(*, vrod_raw: pd.DataFrame, offsetsdb_types: pd.DataFrame,
                 registry_exports: dict[str, dict[str, pd.DataFrame]],
                 vrod_2021_tabs: dict[str, pd.DataFrame],
                 tolerance: float = reconcile.DEFAULT_TOLERANCE) -> VcmTables:
    with schema.deferred_checks():
        projects = [vrod.parse_projects(vrod_raw),
                    offsetsdb.parse_project_types(offsetsdb_types)]
        transactions = []
        for registry, files in registry_exports.items():
            export_projects, export_transactions = parse_registry_export(registry, files)
            projects.append(export_projects)
            transactions.append(export_transactions)
        transactions += [vrod_tabs.parse_tab(raw, tab=tab) for tab, raw in vrod_2021_tabs.items()]
    source_projects = schema.check_projects(pd.concat([p for p in projects if len(p)], ignore_index=True))
    transactions = schema.check_transactions(pd.concat([t for t in transactions if len(t)],
                                                       ignore_index=True))
    credit_years = vrod.parse_credit_years(vrod_raw)
    merged = reconcile.merge_projects(source_projects)
    disagreements = reconcile.find_disagreements(source_projects, tolerance=tolerance)
    quality = flags.build_flags(source_projects=source_projects, merged=merged,
                                credit_years=credit_years, transactions=transactions,
                                disagreements=disagreements)
    return VcmTables(source_projects=source_projects, projects=merged,
                     credit_years=credit_years, transactions=transactions,
                     disagreements=disagreements, flags=quality,
                     reconciliation=reconcile.summarise(merged, disagreements))
