"""Footprint calculator: the seed's factors and examples, Korean factors, dishes from ingredients,
bad input by field, points, suggestions, summary. Expected values are worked by hand in the comments."""

import pytest

from tanso.footprint import FootprintInputError, estimate_day, load_factor_set, parse_day, read_day
from tanso.footprint.calculate import local_line
from tanso.footprint.points import round_half_up
from tanso.footprint.summary import describe_day


@pytest.fixture(scope="module")
def seed():
    return load_factor_set("ecojourney")


@pytest.fixture(scope="module")
def korea():
    return load_factor_set("korea")


def lines_of(day, factors):
    return [local_line(a, factors=factors) for a in parse_day(day, factors=factors)]


def one(day, factors):
    [line] = lines_of(day, factors)
    return line


# ---------------------------------------------------------------- the seed's set, reproduced exactly
def test_seed_factor_set_is_the_seed(seed):
    get = seed.get
    assert [get("transport", m, "factor") for m in ("car", "bus", "subway", "walk", "bike")] == [0.171, 0.089, 0.014, 0, 0]
    assert [get("transport", m, "speed") for m in ("car", "bus", "subway")] == [30, 25, 30]
    assert [get("clothing", i, "factor") for i in ("tshirt", "jeans", "shoes")] == [2.0, 33.4, 13.6]
    assert get("clothing", "second_hand", "share") == 0.1
    assert [get("food", d, "factor") for d in ("gimbap", "mul-naengmyeon")] == [0.4, 2.4]
    assert get("food", "pasta", "kg_per_serving") == 0.25
    assert [get("waste", w, "factor") for w in ("general", "plastic", "paper", "glass", "can")] == [0.5, 2.5, 0.3, 0.2, 1.5]
    assert (get("waste", "can", "kg_per_item"), get("waste", "glass", "kg_per_item")) == (0.015, 0.4)
    assert (get("electricity", "aircon", "power"), get("electricity", "heater", "power")) == (2.0, 1.5)
    assert get("electricity", "grid", "factor") == 0.424
    assert [get("water", u, "litres_per_use") for u in ("shower", "dishes", "laundry")] == [70, 15, 60]
    assert get("water", "tap", "factor") == 0.0003
    assert get("benchmark", "everyday_average", "value") == 14.5
    assert seed.id == "ecojourney@2025"


def test_korea_set_replaces_the_grid_factor_with_the_2023_official_one(korea):
    assert korea.get("electricity", "grid", "factor") == 0.4173
    row = korea.row("electricity", "grid", "factor")
    assert row["status"] == "primary" and row["year"] == 2023 and row["region"] == "KR"
    assert "Ministry of Climate, Energy and Environment" in row["source"]
    assert korea.get("transport", "car", "factor") == 0.171  # no Korean primary per-km source: seed kept
    assert "17x" in korea.row("transport", "subway", "factor")["note"]
    every = korea.table
    assert (every["source"].str.len() > 0).all() and every["unit"].str.len().gt(0).all()


def test_seed_worked_examples(seed):
    assert one({"transport": [{"mode": "car", "minutes": 30}]}, seed).kg == pytest.approx(2.565)  # 15 km × 0.171
    assert one({"food": [{"dish": "gimbap", "servings": 2}]}, seed).kg == pytest.approx(0.8)
    assert one({"food": [{"dish": "mul-naengmyeon", "servings": 1}]}, seed).kg == pytest.approx(2.4)


def test_unit_conversions(seed, korea):
    assert one({"transport": [{"mode": "bus", "minutes": 60}]}, seed).quantity == pytest.approx(25)
    assert one({"transport": [{"mode": "subway", "km": 10}]}, seed).kg == pytest.approx(0.14)
    jeans = one({"clothing": [{"item": "jeans", "count": 1, "second_hand": True}]}, seed)
    assert (jeans.item, jeans.kg) == ("jeans (second-hand)", pytest.approx(3.34))
    assert one({"waste": [{"type": "can", "count": 3}]}, seed).kg == pytest.approx(0.0675)    # 0.045 kg × 1.5
    assert one({"waste": [{"type": "bottle", "count": 2}]}, seed).kg == pytest.approx(0.16)   # 0.8 kg glass × 0.2
    assert one({"electricity": [{"appliance": "aircon", "hours": 2}]}, seed).kg == pytest.approx(1.696)
    assert one({"electricity": [{"appliance": "heater", "hours": 3}]}, seed).kg == pytest.approx(1.908)
    assert one({"electricity": [{"appliance": "aircon", "hours": 2}]}, korea).kg == pytest.approx(1.6692)
    assert one({"water": [{"use": "shower", "count": 1}]}, seed).kg == pytest.approx(0.021)   # 70 L × 0.0003
    assert one({"water": [{"use": "laundry", "count": 1}]}, seed).kg == pytest.approx(0.018)
    assert one({"water": [{"use": "shower", "minutes": 5}]}, seed).quantity == pytest.approx(35)  # 7 L/min


def test_dishes_are_built_from_ingredients(seed):
    pasta = one({"food": [{"dish": "pasta", "servings": 1}]}, seed)
    assert pasta.kg == pytest.approx(0.3925)                  # 0.25 kg wheat × 1.57
    assert pasta.source["food_table"] == "owid_food_pn2018@2022-08"
    bibimbap = one({"food": [{"dish": "bibimbap"}]}, seed)
    assert bibimbap.kg == pytest.approx(3.7424)               # 0.1×4.45 + 0.15×0.53 + 0.05×4.67 + 0.03×99.48
    beef = one({"food": [{"product": "beef", "kg": 0.15}]}, seed)
    assert (beef.item, beef.kg) == ("Beef (beef herd)", pytest.approx(14.922))
    own = one({"food": [{"dish": "tofu bowl", "servings": 2,
                         "ingredients": [{"product": "Tofu", "kg": 0.15}, {"product": "Rice", "kg": 0.1}]}]}, seed)
    assert own.kg == pytest.approx(2 * (0.15 * 3.16 + 0.1 * 4.45))


def test_every_line_names_its_source(seed):
    line = one({"transport": [{"mode": "car", "km": 10}]}, seed)
    assert line.source == {"provider": "local", "factor_set": "ecojourney", "version": "2025"}


# ---------------------------------------------------------------- bad input, by field
@pytest.mark.parametrize(("day", "field", "words"), [
    ({"transport": [{"mode": "bus", "km": 2000}]}, "transport[0].km", "more than the plausible 1,200"),
    ({"transport": [{"mode": "car", "minutes": -5}]}, "transport[0].minutes", "negative"),
    ({"transport": [{"mode": "rocket", "km": 5}]}, "transport[0].mode", "unknown mode 'rocket'"),
    ({"transport": [{"mode": "car", "km": 5, "minutes": 10}]}, "transport[0]", "exactly one of minutes, km"),
    ({"transport": [{"mode": "car", "km": "far"}]}, "transport[0].km", "'far' is not a number"),
    ({"transport": [{"mode": "car", "km": True}]}, "transport[0].km", "not a number"),
    ({"clothing": [{"item": "tshirt", "count": 1.5}]}, "clothing[0].count", "not a whole number"),
    ({"clothing": [{"item": "tshirt", "second_hand": "yes"}]}, "clothing[0].second_hand", "not true or false"),
    ({"food": [{"dish": "pizza"}]}, "food[0].dish", "unknown dish 'pizza'"),
    ({"food": [{"product": "beef"}]}, "food[0].kg", "missing"),
    ({"waste": [{"type": "general", "count": 2}]}, "waste[0].count", "weighed in kg"),
    ({"electricity": [{"appliance": "aircon", "hours": 30}]}, "electricity[0].hours", "more than the plausible 24"),
    ({"water": [{"use": "dishes", "minutes": 5}]}, "water[0].minutes", "counted in uses"),
    ({"water": [{"use": "shower", "count": 1, "colour": "blue"}]}, "water[0].colour", "unexpected field"),
    ({"flights": [{"km": 100}]}, "flights", "unknown category"),
    ({"transport": {"mode": "car"}}, "transport", "must be a list"),
])
def test_bad_input_names_the_field(seed, day, field, words):
    with pytest.raises(FootprintInputError) as caught:
        parse_day(day, factors=seed)
    assert any(f == field and words in message for f, message in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_and_nothing_computed(seed):
    day = {"transport": [{"mode": "car", "km": 5}, {"mode": "bus", "km": 2000}], "food": [{"dish": "pizza"}]}
    with pytest.raises(FootprintInputError) as caught:
        estimate_day(day, factors=seed)
    assert [f for f, _ in caught.value.problems] == ["transport[1].km", "food[0].dish"]


def test_malformed_json_is_named():
    with pytest.raises(FootprintInputError, match=r"DAY.json: not valid JSON .*line 1, column 16"):
        read_day('{"transport": [')
    with pytest.raises(FootprintInputError, match="must be an object"):
        read_day("[1, 2]")


# ---------------------------------------------------------------- points
def test_round_half_up():
    assert [round_half_up(v) for v in (0.5, 2.5, 85.4, 0.855 * 100, 47.99999999999)] == [1, 3, 85, 86, 48]


def test_points_for_the_seed_example_with_the_rest_of_the_day(seed):
    # bike 5 km: 5 × 0.171 = 0.855 kg saved → 85.5 → 86; one second-hand item → 10; a day total of
    # 12.1 kg → (14.5 − 12.1) × 20 = 48: 86 + 10 + 48 = 144, the seed's figure.
    day = {"transport": [{"mode": "bike", "km": 5}],
           "clothing": [{"item": "tshirt", "second_hand": True}],                # 0.2
           "food": [{"dish": "mul-naengmyeon", "servings": 2}, {"dish": "gimbap", "servings": 2}],  # 4.8 + 0.8
           "waste": [{"type": "plastic", "kg": 2}, {"type": "general", "kg": 2.6}]}  # 5.0 + 1.3
    result = estimate_day(day, factors=seed)
    assert result.total_kg == pytest.approx(12.1)
    p = result.points
    assert (p.saved, p.second_hand, p.below_average, p.total) == (86, 10, 48, 144)


def test_points_for_the_seed_example_alone(seed):
    # The example without the rest of the day: total 0.2 kg → (14.5 − 0.2) × 20 = 286, capped at 100.
    day = {"transport": [{"mode": "bike", "km": 5}], "clothing": [{"item": "tshirt", "second_hand": True}]}
    p = estimate_day(day, factors=seed).points
    assert (p.saved, p.second_hand, p.below_average, p.total) == (86, 10, 100, 196)


def test_below_average_points_floor_at_zero(seed):
    day = {"clothing": [{"item": "jeans"}]}  # 33.4 kg, above 14.5
    p = estimate_day(day, factors=seed).points
    assert (p.below_average, p.total) == (0, 0)


# ---------------------------------------------------------------- suggestions and summary
ISSUE_DAY = {"transport": [{"mode": "car", "minutes": 30}], "clothing": [{"item": "tshirt", "count": 1, "second_hand": True}],
             "food": [{"dish": "gimbap", "servings": 1}], "waste": [{"type": "plastic", "kg": 0.5}, {"type": "can", "count": 3}],
             "electricity": [{"appliance": "aircon", "hours": 2}], "water": [{"use": "shower", "count": 1}]}


def test_the_issue_day(seed):
    # 2.565 + 0.2 + 0.4 + 1.25 + 0.0675 + 1.696 + 0.021 = 6.1995
    result = estimate_day(ISSUE_DAY, factors=seed)
    assert result.total_kg == pytest.approx(6.1995)
    assert result.by_category == pytest.approx({"transport": 2.565, "clothing": 0.2, "food": 0.4, "waste": 1.3175,
                                                "electricity": 1.696, "water": 0.021})
    assert (result.points.total, result.average_kg) == (110, 14.5)  # 0 + 10 + min(100, 166)


def test_three_largest_reductions_for_this_pattern(seed):
    tips = estimate_day(ISSUE_DAY, factors=seed).suggestions
    assert [t.action for t in tips] == ["car_to_subway", "appliance_hour", "less_waste"]
    # 15 km × (0.171 − 0.014); 1 h × 2.0 kW × 0.424; half of 0.5 kg × 2.5
    assert [t.saving_kg for t in tips] == pytest.approx([2.355, 0.848, 0.625])
    assert tips[0].text == "Take the subway instead of the car for 15 km"
    assert tips[0].text_ko == "자동차 대신 지하철로 15 km 이동하기"
    assert tips[1].text_ko == "에어컨을 1시간 덜 사용하기"           # 에어컨 ends in ㄴ: 을
    assert tips[2].text_ko == "플라스틱 쓰레기를 절반으로 줄이기"


def test_korean_suggestions_name_every_item_in_korean_with_the_right_particle(seed):
    day = {"clothing": [{"item": "jeans", "count": 1}], "food": [{"dish": "mul-naengmyeon", "servings": 1}],
           "electricity": [{"appliance": "heater", "hours": 3}]}
    texts = {t.action: t.text_ko for t in estimate_day(day, factors=seed).suggestions}
    assert texts["second_hand"] == "청바지를 중고로 사기"                  # 지 ends in a vowel: 를
    assert texts["appliance_hour"] == "난방기를 1시간 덜 사용하기"
    assert texts["dish_swap"].endswith(" 대신 김밥 먹기") and texts["dish_swap"].startswith("물냉면")
    assert not any(c.isascii() and c.isalpha() for text in texts.values() for c in text)


def test_object_particle_follows_the_last_sound():
    from tanso.footprint.korean import item_name, with_object_particle

    assert [with_object_particle(w) for w in ("에어컨", "티셔츠", "신발", "버스", "PET", "10", "3")] == [
        "에어컨을", "티셔츠를", "신발을", "버스를", "PET를", "10을", "3을"]
    assert item_name("car") == "자동차" and item_name("food", "waste") == "음식물"


def test_every_food_product_and_dish_has_a_korean_name():
    from tanso.footprint import food
    from tanso.footprint.korean import ITEM_NAMES, _food_product_names, item_name

    products = list(food.food_table()["product"])
    assert sorted(_food_product_names()) == sorted(products)   # no product missing, no stale row
    names = {p: item_name(p, "food") for p in products + list(food.dishes()["dish"])}
    missing = [key for key, name in names.items() if name == key or not name.strip()]
    assert missing == []
    hangul = [name for name in names.values() if not any("\uac00" <= c <= "\ud7a3" for c in name)]
    assert hangul == []
    assert len(set(ITEM_NAMES["food"].values())) == len(ITEM_NAMES["food"])   # two items, two names
    assert item_name("Beef (dairy herd)") == "젖소 소고기" and item_name("Wheat & Rye", "food") == "밀·호밀"


def test_short_car_trips_add_up_and_suggest_cycling(seed):
    day = {"transport": [{"mode": "car", "km": 2}, {"mode": "car", "km": 3}]}
    [tip] = estimate_day(day, factors=seed).suggestions
    assert (tip.action, tip.saving_kg, tip.params["km"]) == ("car_to_bike", pytest.approx(0.855), 5)


def test_summary_is_deterministic_in_both_languages():
    args = {"total_kg": 6.2, "by_category": {"transport": 2.6, "food": 0.4}, "average_kg": 14.5,
                "territorial_kg": 38.3, "car_factor": 0.171}
    en = describe_day(**args, lang="en")
    assert en.startswith("Today you emitted 6.2 kg CO2e, 8.3 kg below the 14.5 kg everyday-activities benchmark.")
    assert "transport (2.6 kg, 42 %)" in en and "petrol car 36 km" in en and "38.3 kg" in en
    ko = describe_day(**args, lang="ko")
    assert "6.2 kg CO2e" in ko and "8.3 kg 낮습니다" in ko and "교통(2.6 kg, 42%)" in ko
    assert describe_day(**args) == en
    assert describe_day(**(args | {"total_kg": 0.0}), lang="en") == "Nothing you logged today emits CO2e."


# ---------------------------------------------------------------- history and goals
def test_history_by_day_week_and_month_and_goal():
    import pandas as pd

    from tanso.footprint.history import goal_progress, roll_up_history

    lines = pd.DataFrame({
        "day": ["2026-11-30", "2026-11-30", "2026-12-01", "2026-12-02"],   # Mon, Mon, Tue, Wed
        "category": ["transport", "food", "transport", "water"],
        "kg": [2.0, 1.0, 4.0, 0.5],
    })
    daily = roll_up_history(lines, freq="day")
    assert daily["total_kg"].tolist() == [3.0, 4.0, 0.5]
    weekly = roll_up_history(lines, freq="week")
    assert weekly[["period", "days", "total_kg"]].values.tolist() == [["2026-11-30", 3, 7.5]]
    assert weekly["kg_per_day"].iloc[0] == pytest.approx(2.5)             # 7.5 kg over 3 logged days
    monthly = roll_up_history(lines, freq="month").set_index("period")
    assert monthly.loc["2026-11", "food"] == 1.0 and monthly.loc["2026-12", "transport"] == 4.0
    progress = goal_progress(daily, goal_kg_per_day=3.5)
    assert progress["met"].tolist() == [True, False, True]
    assert progress["margin_kg"].tolist() == pytest.approx([0.5, -0.5, 3.0])
