"""The benchmark behind ``make bench`` (issue 6): see ``bench/run.py`` and the README."""
