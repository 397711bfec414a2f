"""National emissions analysis: pure functions on pandas objects, no database, no I/O but the targets CSV.

- `analysis`: year-on-year change, CAGR, linear trend, per capita / per GDP, share of world,
  cumulative sums, peak year, index to a base year.
- `targets`: the `Target` record and the validated loader for the versioned targets CSV.
- `gap`: distance to a target (required vs recent rate, projections, on/off track, caveats).
- `scenario`: user-set reduction rates projected to 2050, cumulative emissions, straight lines to net zero.
"""
