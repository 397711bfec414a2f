"""Data & runs CSV: the database's values, not the page's display text."""

import pandas as pd

from tanso.ui.data_runs import csv_download, utc_text


def test_csv_keeps_counts_as_integers_times_in_utc_and_numbers_as_numbers():
    frame = pd.DataFrame({"rows": [50446.0, None], "seconds": [1.5, 2.0], "up_to_date": [True, False],
                          "loaded_at": pd.to_datetime(["2026-12-01 19:11:44+09:00", None], utc=True)})
    download = csv_download(frame, "tanso_loaded_datasets.csv", "CSV")
    assert download.filename == "tanso_loaded_datasets.csv"
    assert download.callback().getvalue().splitlines() == [
        "rows,seconds,up_to_date,loaded_at", "50446,1.5,True,2026-12-01T10:11:44Z", ",2.0,False,"]
    assert frame["rows"].dtype == float  # the page's own frame is left as it was


def test_page_times_name_their_zone():
    assert utc_text(pd.Series(["2026-12-01T19:11:44+09:00"])).tolist() == ["2026-12-01 10:11:44 UTC"]
