"""Tandau's own job kinds; importing this package registers them (:func:`tandau.services.jobs.load_kinds`).
Each calls the existing service that does the work; none repeats its logic."""

from tandau.services.jobs.kinds import contests, control, exports, imports, lists, otp, publish, report  # noqa: F401

__all__: list[str] = []
