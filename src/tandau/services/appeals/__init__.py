"""Public reception appeals (issue 14, item 3): intake from the web form, an office visit, a phone call or a bulk
import; theme and territory; routing to a deputy or a branch; deadlines in working days on Kazakhstan's calendar;
extension, redirect, answer with outcome, the applicant's satisfaction; repeat appeals; overdue escalation and
reminders; personal data only for the case's handlers, pseudonymised exports and a retention purge.

Modules: :mod:`.deadlines` (terms, calendar, keys), :mod:`.intake` (form, office/phone entry, receipts, limit),
:mod:`.imports` (CSV/XLSX, all or nothing, bulk insert), :mod:`.workflow` (route, extend, redirect, answer,
close, satisfaction), :mod:`.oversight` (escalation, reminders), :mod:`.read` (queue, an appeal, dashboard),
:mod:`.data` (pseudonymised export, retention purge), :mod:`.demo`. docs/appeals.md describes them.
"""
