"""Kazakhstan's territory tables (package data; sources in README.md beside them)."""
