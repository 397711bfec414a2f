"""The explorer's project page content without a database: translated headers and field labels,
every value escaped, the message when no source gives figures by year, the per-load cache."""

import pandas as pd

from tanso.ui.i18n import t
from tanso.ui.vcm import project
from tanso.vcm.queries import ProjectPage

PAYLOAD = "<img src=x onerror=alert(1)>"


def page(*, years: bool, transactions: int = 0, sources: str = "offsetsdb,vrod") -> ProjectPage:
    source_rows = pd.DataFrame({"project_id": ["GLD1"] * 2, "source": ["offsetsdb", "vrod"],
                                "source_id": ["GLD1", "GS1"], "name": [None, PAYLOAD],
                                "corsia": [None, True], "issued": [None, 1234567.0],
                                "notes": [None, None]})
    credit_years = pd.DataFrame({"year": [2019, 2019, 2020], "kind": ["issued_by_vintage", "retired_by_year",
                                                                      "issued_by_vintage"],
                                 "quantity": [100.0, 40.0, 50.0]}) if years else \
        pd.DataFrame(columns=["year", "kind", "quantity"])
    trades = pd.DataFrame({"transaction_date": ["2020-01-02"] * transactions, "kind": ["retirement"] * transactions,
                           "quantity": [10.0] * transactions, "beneficiary": [PAYLOAD] * transactions})
    return ProjectPage(project={"project_id": "GLD1", "name": PAYLOAD, "sources": sources},
                       sources=source_rows, credit_years=credit_years, transactions=trades,
                       flags=pd.DataFrame({"flag": ["sources_disagree"], "detail": ["type differs"]}),
                       disagreements=pd.DataFrame({"field": ["project_type"], "source_a": ["offsetsdb"],
                                                   "value_a": ["cookstoves"], "source_b": ["vrod"],
                                                   "value_b": [PAYLOAD]}))


def test_a_korean_page_translates_headers_and_field_labels_and_escapes_every_value():
    content = project.render(page(years=True, transactions=2), "ko", "2025-12")
    html = content.upper + content.lower
    for english in (">field<", ">source_id<", ">issued<", ">corsia<", ">Field<", ">flag<", ">detail<",
                    ">source_a<", ">transaction_date<", ">issued_by_vintage<", ">retirement<"):
        assert english not in html, english
    for korean in ("<th>항목</th>", "<td>출처의 ID</td>", "<td>발행 (tCO2e)</td>", "<td>CORSIA 적격</td>",
                   "<td>출처 간 불일치</td>", "<th>출처 A</th>", "<td>유형</td>", "<th>일자</th>",
                   "빈티지별 발행", "<td>상쇄</td>", "<td>예</td>", "1,234,567"):
        assert korean in html, korean
    assert "<img" not in html and html.count("&lt;img src=x onerror=alert(1)&gt;") == 4  # name, B, 2 rows
    assert "notes" not in html and t("vcm.field.notes", "ko") not in html   # no source gives it: no row
    assert "&lt;img" in content.head and "<img" not in content.head


def test_credits_by_year_are_chart_columns_and_a_table():
    content = project.render(page(years=True), "en", "2025-12")
    assert content.years == {"year": ["2019", "2020"], "issued": [100.0, 50.0], "retired": [40.0, 0.0]}
    assert "No issuance" not in content.lower and "Issued by vintage" in content.lower


def test_no_figures_by_year_is_said_with_the_sources_looked_at_and_no_chart():
    content = project.render(page(years=False), "en", "2025-12")
    assert content.years is None and "Credits by year" not in content.lower
    note = content.lower
    assert "<strong>No issuance or retirement by year is recorded for this project</strong>" in note
    assert "VROD 2025-12 yearly blocks" in note and "the project is listed" in note
    assert "no transactions for this project" in note
    elsewhere = project.render(page(years=False, transactions=3, sources="offsetsdb"), "ko", "2025-12")
    assert "VROD에 없는 프로젝트" in elsewhere.lower and "거래 3건" in elsewhere.lower
    assert "레지스트리 거래" in elsewhere.lower   # the transactions are still listed


def test_every_field_kind_and_flag_has_a_label_in_both_languages():
    from tanso.db.tables.vcm import source_projects
    from tanso.vcm.flags import FLAGS

    keys = [f"vcm.field.{c.name}" for c in source_projects.columns if c.name not in ("project_id", "source")]
    keys += [f"vcm.kind.{k}" for k in project.YEAR_KINDS] + [f"vcm.flag_name.{f}" for f in FLAGS]
    keys += [f"vcm.col.{c}" for c in (*project.TRANSACTION_COLUMNS, *project.DISAGREEMENT_COLUMNS)]
    for lang in ("en", "ko"):
        missing = [k for k in keys if t(k, lang) == k]
        assert missing == [], (lang, missing)


class FakeEngine:
    url = type("Url", (), {"render_as_string": lambda self, hide_password: "db"})()


def test_the_cache_serves_a_project_again_until_the_next_load(monkeypatch):
    reads, stamp = [], ["2026-12-01"]
    monkeypatch.setattr(project.queries, "project", lambda engine, pid: reads.append(pid) or page(years=True))
    monkeypatch.setattr(project, "load_stamp", lambda engine: ("2025-12", stamp[0]))
    cache = project.ProjectCache(size=2)
    first = cache.get(FakeEngine(), "GLD1", "en")
    assert cache.get(FakeEngine(), "GLD1", "en") is first and reads == ["GLD1"]
    assert cache.get(FakeEngine(), "GLD1", "ko") is not first and reads == ["GLD1", "GLD1"]
    stamp[0] = "2026-12-02"   # a new load: read again
    assert cache.get(FakeEngine(), "GLD1", "en") is not first and len(reads) == 3
