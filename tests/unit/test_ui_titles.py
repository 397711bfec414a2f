"""Chart titles broken into lines that fit a phone's figure (tanso.ui.titles)."""

from tanso.ui.titles import PHONE_PX, fit, text_width


def test_a_short_title_stays_on_one_line():
    assert fit("Projects by country", "12pt") == "Projects by country"
    assert fit("", "9pt") == ""


def test_a_long_title_breaks_between_words_into_even_lines_that_fit():
    title = "South Korea: Total GHG (incl. land use) — scenario to 2050"
    lines = fit(title, "12pt").split("\n")
    assert " ".join(lines) == title  # nothing lost or reordered
    assert len(lines) == 2 and all(text_width(line, "12pt") <= PHONE_PX for line in lines)
    assert min(map(len, lines)) > len(title) / 4  # no last line of one word


def test_korean_characters_count_a_full_em():
    assert text_width("대한민국", "12pt") == 4 * 16
    assert text_width("GHG", "12px") < 3 * 12
    lines = fit("2018→2022 총배출량 변화: -59.6 Mt CO₂e, GDP와 부문별 원단위", "12pt").split("\n")
    assert len(lines) == 2 and all(text_width(line, "12pt") <= PHONE_PX for line in lines)


def test_a_caption_in_a_smaller_font_takes_more_per_line():
    source = "Source: OWID CO₂ & GHG 2025-05; GCB 2025; Tanso targets 2026-11"
    assert fit(source, "9pt").count("\n") < fit(source, "12pt").count("\n")
