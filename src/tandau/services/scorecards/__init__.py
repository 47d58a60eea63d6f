"""Scorecards of deputies, factions, branches and akims (issue 14, item 4): :mod:`.compute` gathers the records
of each subject from the deputies', appeals' and control tables and applies :mod:`tandau.core.scorecards`."""
