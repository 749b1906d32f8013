"""Performance suite: `make bench`. Each benchmark prints `name: value` lines with the ratio
against a floor measured in the same run, so shared, noisy machines still compare fairly."""
