"""National trends & targets (`apps/national_trends.py`): emissions by entity, gaps to targets,
pathways, scenarios and rankings, on the app kit.

store.py     NationalStore: data, language, tab, and a sub-state per part (selection, gap, scenario, ranking)
controls.py  the sidebar                      trends.py / map.py / gap.py / scenario.py / ranking.py  one TabView per tab
charts.py    Bokeh figures updated in place    downloads.py  machine-readable CSVs
names.py     Korean entity names (CLDR)        translate.py  Korean target names and caveats
options.py   cached choice lists               app.py        the tabs, notices and `build_page`
"""
