"""Deputies and akims (issue 14): official results imported per council, the party's faction with its terms,
vacancies (list: the next eligible name with the quota kept; district: a by-election), akims per territory and
deputies' activity, every decision stored and in the hash-chained audit log. Faces: ``web/routers/deputies``,
``cli/deputies.py``; docs/deputies.md."""
