"""Election programmes in the database (issue 13, items 1, 5 and 7): one per council and cycle and the national
programmes of the party's wings; versions with a readable diff, comments, the workflow draft -> submitted ->
returned | approved -> published, open data, and a commitment made a control target in one action.

Modules: :mod:`.records` (a commitment as stored, councils and wings), :mod:`.workflow` (create, edit, steps,
comments, reading), :mod:`.publication` (open data JSON), :mod:`.to_control` (a commitment -> control target),
:mod:`.demo` (the demo's programmes). See docs/programmes.md.
"""
