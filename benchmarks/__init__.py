"""Speed measurements; run with `make bench`. Figures are printed, never asserted in tests."""
