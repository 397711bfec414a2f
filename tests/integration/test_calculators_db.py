"""Campaigns and footprint logs in real PostgreSQL: who entered what, history, roll-ups, the points ledger,
and bad input refused with nothing saved."""

import datetime as dt

import pytest
import sqlalchemy as sa

from tanso.db import campaigns as db
from tanso.db import footprint_log
from tanso.footprint import estimate_day, load_factor_set
from tanso.recycling import RecyclingInputError, roll_up, summarise_campaign
from tanso.recycling import load_factor_set as recycling_factors

pytestmark = pytest.mark.integration

JAN1, JAN31, FEB28 = dt.date(2025, 1, 1), dt.date(2025, 1, 31), dt.date(2025, 2, 28)


def make_user(engine, email: str) -> int:
    with engine.begin() as conn:
        return conn.execute(sa.text(
            "INSERT INTO app.users (email, display_name, password_hash) VALUES (:e, :e, 'x') "
            "ON CONFLICT (email) DO UPDATE SET display_name = excluded.display_name RETURNING id"),
            {"e": email}).scalar_one()


@pytest.fixture
def engine(backend):
    engine = backend.engine
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE app.campaigns, app.campaign_entries, app.campaign_entry_history, "
                             "app.footprint_days, app.footprint_lines, app.points_ledger, app.footprint_goals"))
    return engine


def test_campaign_entries_history_and_results(engine):
    alice, bob = make_user(engine, "alice@calc.test"), make_user(engine, "bob@calc.test")
    otter = db.create_campaign(engine, organisation="Kogiri", name="Otter", period_start=JAN1, period_end=FEB28,
                               user_id=alice)
    first = db.add_entry(engine, otter, material="mixed", pathway="reuse", kg=120, user_id=alice)
    db.add_entry(engine, otter, material="mixed", pathway="upcycle", kg=264, user_id=bob, collected_on=FEB28)
    db.add_entry(engine, otter, material="toys", pathway="recycling", kg="96", user_id=bob)
    db.update_entry(engine, first, material="mixed", pathway="reuse", kg=100, user_id=bob)
    db.update_entry(engine, first, material="mixed", pathway="reuse", kg=120, user_id=alice)

    entries = db.entries_frame(engine, campaign_id=otter)
    assert entries["kg"].tolist() == [120.0, 96.0, 264.0]               # ordered by date collected
    assert set(entries["entered_by"]) == {alice, bob}
    result = summarise_campaign(entries, factors=recycling_factors())
    assert result.reduction_kg == pytest.approx(3069.0) and result.weighted_factor == pytest.approx(2.325)
    history = db.entry_history(engine, otter)
    assert history["action"].tolist() == ["created", "created", "created", "updated", "updated"]
    assert history[history["entry_id"] == first]["kg"].astype(float).tolist() == [120.0, 100.0, 120.0]
    monthly = roll_up(entries, factors=recycling_factors(), freq="month").set_index("period")
    assert monthly.loc["2025-01", "reduction_kg"] == pytest.approx(990 + 264)
    assert monthly.loc["2025-02", "reduction_kg"] == pytest.approx(1815)

    db.delete_entry(engine, first, user_id=alice)
    assert len(db.entries_frame(engine, campaign_id=otter)) == 2
    assert db.entry_history(engine, otter)["action"].iloc[-1] == "deleted"
    listed = db.list_campaigns(engine, organisation="Kogiri")
    assert listed[["name", "entries", "collected_kg"]].values.tolist() == [["Otter", 2, 360.0]]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": "otter"}, "name"),                                        # same name, other case
    ({"name": "Seal", "period_start": FEB28, "period_end": JAN1}, "period"),
    ({"name": " "}, "name"),
    ({"name": "Seal", "organisation": ""}, "organisation"),
])
def test_bad_campaigns_are_refused_by_field(engine, kwargs, field):
    alice = make_user(engine, "alice@calc.test")
    db.create_campaign(engine, organisation="Kogiri", name="Otter", period_start=JAN1, period_end=JAN31,
                       user_id=alice)
    args = {"organisation": "Kogiri", "period_start": JAN1, "period_end": JAN31, "user_id": alice} | kwargs
    with pytest.raises(RecyclingInputError) as caught:
        db.create_campaign(engine, **args)
    assert field in dict(caught.value.problems)
    assert len(db.list_campaigns(engine)) == 1


@pytest.mark.parametrize(("entry", "field"), [
    ({"material": "pvc", "pathway": "reuse", "kg": 1}, "entries[0].material"),
    ({"material": "pet", "pathway": "landfill", "kg": 1}, "entries[0].pathway"),
    ({"material": "pet", "pathway": "reuse", "kg": -1}, "entries[0].kg"),
    ({"material": "pet", "pathway": "reuse", "kg": "lots"}, "entries[0].kg"),
    ({"material": "pet", "pathway": "reuse", "kg": 1, "collected_on": FEB28}, "collected_on"),
])
def test_bad_entries_are_refused_and_nothing_is_saved(engine, entry, field):
    alice = make_user(engine, "alice@calc.test")
    otter = db.create_campaign(engine, organisation="Kogiri", name="Otter", period_start=JAN1, period_end=JAN31,
                               user_id=alice)
    with pytest.raises(RecyclingInputError) as caught:
        db.add_entry(engine, otter, user_id=alice, **entry)
    assert field in dict(caught.value.problems)
    assert db.entries_frame(engine, campaign_id=otter).empty and db.entry_history(engine, otter).empty


def test_footprint_day_lines_keep_their_factor_and_the_ledger_corrects(engine):
    alice = make_user(engine, "alice@calc.test")
    seed = load_factor_set("ecojourney")
    day = {"transport": [{"mode": "bike", "km": 5}], "clothing": [{"item": "tshirt", "second_hand": True}]}
    footprint_log.save_day(engine, user_id=alice, day=JAN1, activities=day, result=estimate_day(day, factors=seed))
    assert footprint_log.points_balance(engine, user_id=alice) == 196          # 86 + 10 + 100
    heavier = day | {"food": [{"dish": "mul-naengmyeon", "servings": 2}, {"dish": "gimbap", "servings": 2}],
                     "waste": [{"type": "plastic", "kg": 2}, {"type": "general", "kg": 2.6}]}
    footprint_log.save_day(engine, user_id=alice, day=JAN1, activities=heavier,
                           result=estimate_day(heavier, factors=seed))
    assert footprint_log.points_balance(engine, user_id=alice) == 144          # the seed's example, corrected
    with engine.connect() as conn:
        ledger = conn.execute(sa.text("SELECT kind, points FROM app.points_ledger ORDER BY id")).all()
    assert [tuple(r) for r in ledger] == [("saved", 86), ("second_hand", 10), ("below_average", 100),
                                          ("below_average", -52)]
    lines = footprint_log.logged_lines(engine, user_id=alice)
    assert len(lines) == 6 and set(lines["factor_set"]) == {"ecojourney"} and set(lines["factor_version"]) == {"2025"}
    korea = load_factor_set("korea")
    footprint_log.save_day(engine, user_id=alice, day=JAN31, activities={"electricity": [{"appliance": "aircon", "hours": 2}]},
                           result=estimate_day({"electricity": [{"appliance": "aircon", "hours": 2}]}, factors=korea))
    lines = footprint_log.logged_lines(engine, user_id=alice)
    jan31 = lines[lines["day"] == JAN31].iloc[0]
    assert (jan31["factor"], jan31["factor_version"]) == (0.4173, "2025-12")   # stored, not looked up again
    footprint_log.set_goal(engine, user_id=alice, kg_per_day=10)
    footprint_log.set_goal(engine, user_id=alice, kg_per_day=8)
    assert footprint_log.goal(engine, user_id=alice) == 8


def test_app_store_edits_an_entry_and_rolls_up_the_organisation_by_quarter(engine):
    """The campaigns tab's store on real PostgreSQL: per-entry reductions, an edit kept in the history, and
    the organisation's quarters over campaigns priced with their own factor sets."""
    from tanso.ui.recycling.store import CampaignStore

    carol = make_user(engine, "carol@calc.test")
    store = CampaignStore(engine=engine, lang="en", user_id=carol)
    assert store.create(name="Q1 toys", organisation="Kogiri", start=JAN1, end=dt.date(2025, 3, 31),
                        factors="operator")
    assert store.add_entry(material="mixed", pathway="reuse", kg="200", collected_on=JAN31)
    assert store.add_entry(material="mixed", pathway="recycle", kg="300", collected_on=FEB28)
    entry_id = int(store.entries.iloc[0]["id"])
    assert store.update_entry(entry_id, material="mixed", pathway="reuse", kg="400", collected_on=None)
    assert store.entries_with_reduction()["reduction_kg"].tolist() == pytest.approx([3300.0, 825.0])  # 400×2.75×3
    assert store.history["action"].tolist() == ["created", "created", "updated"]
    assert not store.update_entry(entry_id, material="mixed", pathway="reuse", kg="-5", collected_on=None)
    assert "kg" in store.errors and store.entries_with_reduction()["kg"].tolist() == [400.0, 300.0]

    # a second campaign of the same organisation, on EPA WARM: PET recycled 1 t → 1,000 kg × WARM factor
    assert store.create(name="Q2 bottles", organisation="Kogiri", start=dt.date(2025, 4, 1),
                        end=dt.date(2025, 6, 30), factors="epa_warm")
    assert store.add_entry(material="pet", pathway="recycle", kg="1000", collected_on=dt.date(2025, 4, 2))
    pet_recycled = summarise_campaign(store.entries[["material", "pathway", "kg"]],
                                      factors=recycling_factors("epa_warm")).reduction_kg
    quarters = store.organisation_roll_up("quarter").set_index("period")
    assert quarters.loc["2025Q1", "collected_kg"] == 700.0
    assert quarters.loc["2025Q1", "reduction_kg"] == pytest.approx(4125.0)       # operator set, not WARM
    assert quarters.loc["2025Q2", "reduction_kg"] == pytest.approx(pet_recycled)


def test_campaigns_tab_with_saved_history_serialises_for_the_browser(engine):
    """A campaign with history once made every page of the app fail to load (NUMERIC kg came back as
    Decimal, which Bokeh cannot send): the whole tab must serialise, for a member and for a guest."""
    import panel as pn
    from bokeh.document import Document

    from tanso.ui.recycling.store import CalculatorStore, CampaignStore, RecyclingStore
    from tanso.ui.recycling.views import CampaignsView

    dave = make_user(engine, "dave@calc.test")
    member = CampaignStore(engine=engine, lang="ko", user_id=dave)
    assert member.create(name="History", organisation="Kogiri", start=JAN1, end=JAN31, factors="operator")
    assert member.add_entry(material="pet", pathway="reuse", kg="10", collected_on=None)
    assert member.update_entry(int(member.entries.iloc[0]["id"]), material="pet", pathway="reuse", kg="12",
                               collected_on=None)
    for user_id in (dave, None):
        campaigns = CampaignStore(engine=engine, lang="ko", user_id=user_id)
        campaigns.reload()
        store = RecyclingStore(lang="ko", tab="campaigns", calculator=CalculatorStore(lang="ko"), campaigns=campaigns)
        view = CampaignsView(store=store)
        doc = Document()
        doc.add_root(pn.Column(view).get_root(doc))
        doc.to_json()                                             # raised SerializationError before the fix
        assert view._history.value.iloc[-1].tolist()[1:5] == ["수정", "PET", "재사용", 12.0]
