"""Party control use cases: programme follow-up, procurement red flags, control cases (issue 12)."""
