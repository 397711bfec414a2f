"""Korean names of the footprint's items and the object particle chosen by the word's last sound.

A Korean sentence needs 을 after a final consonant and 를 after a vowel ("에어컨을", "티셔츠를"); writing
"을(를)" is what a template does when it does not know the word, so every item has its Korean name here
and the particle is picked from the name's last syllable. The food table's products (Poore & Nemecek via
OWID, logged by weight or used in recipes) are named in ``food_names_ko.csv`` beside this module, one row
per product of the table (a test holds every product to it).
"""

from __future__ import annotations

import csv
from pathlib import Path

FOOD_NAMES_PATH = Path(__file__).with_name("food_names_ko.csv")


def _food_product_names() -> dict[str, str]:
    with FOOD_NAMES_PATH.open(encoding="utf-8", newline="") as file:
        return {row["product"]: row["name_ko"] for row in csv.DictReader(file)}


ITEM_NAMES = {
    "transport": {"car": "자동차", "bus": "버스", "subway": "지하철", "walk": "도보", "bike": "자전거"},
    "clothing": {"tshirt": "티셔츠", "jeans": "청바지", "shoes": "신발", "second_hand": "중고"},
    "food": {"gimbap": "김밥", "mul-naengmyeon": "물냉면", "pasta": "파스타", "bibimbap": "비빔밥",
             "bulgogi": "불고기", "kimchi-jjigae": "김치찌개", "samgyeopsal": "삼겹살", "dakgalbi": "닭갈비",
             "doenjang-jjigae": "된장찌개"} | _food_product_names(),
    "waste": {"general": "일반", "plastic": "플라스틱", "paper": "종이", "glass": "유리", "can": "캔",
              "food": "음식물"},
    "electricity": {"aircon": "에어컨", "heater": "난방기", "grid": "전력망"},
    "water": {"shower": "샤워", "dishes": "설거지", "laundry": "빨래", "tap": "수돗물"},
}
UNIT_NAMES = {"km": "km", "item": "개", "serving": "회", "kg": "kg", "kWh": "kWh", "L": "L"}
# How a digit or Latin letter ending a word is read: these end in a consonant (영, 일, 삼, 육, 칠, 팔; 엘, 엠, 엔, 알).
_CONSONANT_ENDINGS = set("013678lmnr")
_HANGUL_FIRST, _HANGUL_LAST, _FINALS = 0xAC00, 0xD7A3, 28


def item_name(item: str, category: str | None = None) -> str:
    """The item's Korean name (its key when there is none, e.g. a product of the food table)."""
    if category is not None:
        return ITEM_NAMES.get(category, {}).get(item, item)
    return next((names[item] for names in ITEM_NAMES.values() if item in names), item)


def has_final_consonant(word: str) -> bool:
    text = word.rstrip(" )]'\"")
    if not text:
        return False
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % _FINALS != 0
    return last.lower() in _CONSONANT_ENDINGS


def with_object_particle(word: str) -> str:
    """``word`` followed by 을 or 를 as its last sound asks."""
    return word + ("을" if has_final_consonant(word) else "를")
