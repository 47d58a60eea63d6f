"""Citizens' proposals (issue 13, item 6): public intake with receipts, offline imports, moderation, near-duplicate
groups, dashboards, links to programme commitments and the public "you proposed, the programme answers" pages.

Modules: :mod:`.rules` (age groups, channels, statuses, territory check), :mod:`.themes` (the one place that calls
the theme classifier and the language detector), :mod:`.receipts` (receipt codes and the per-address limit),
:mod:`.intake`, :mod:`.imports`, :mod:`.moderation`, :mod:`.read`, :mod:`.grouping`, :mod:`.demo`.
"""
