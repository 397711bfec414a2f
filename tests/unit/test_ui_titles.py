"""Chart titles broken into lines that fit their plot: a phone's until the browser reports the plot's width (tanso.ui.titles)."""

from tanso.ui.titles import PHONE_PX, available, fit, set_fitted, text_width


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


def test_a_title_fits_a_phone_until_the_browser_reports_the_plots_width_then_that_width():
    from bokeh.models import Title
    from bokeh.plotting import figure

    title = "South Korea: Total GHG (incl. land use) — scenario to 2050"
    source = "Source: OWID CO₂ & GHG 2025-05; GCB 2025; Tanso targets 2026-11"
    fig = figure()
    caption = Title()
    fig.add_layout(caption, "below")
    set_fitted(fig, fig.title, title, "12pt")
    set_fitted(fig, caption, source, "9pt")
    assert fig.title.text == fit(title, "12pt") and fig.title.text.count("\n") == 1  # a phone's width
    fig.trigger("inner_width", None, 987)  # a desktop's plot, as the browser reports it after drawing
    assert fig.title.text == title and caption.text == source  # one line each
    fig.trigger("inner_width", 987, 331)  # the window narrowed
    assert fig.title.text == fit(title, "12pt", 320) and "\n" in caption.text
    fig.trigger("inner_width", 331, 280)  # never narrower than a phone's: phones keep their lines
    assert fig.title.text == fit(title, "12pt") and available(280) == PHONE_PX
    set_fitted(fig, fig.title, "Japan: Total GHG (incl. land use) — scenario to 2050", "12pt")  # a new title
    assert fig.title.text.startswith("Japan") and "\n" in fig.title.text
