"""Party control: state programme targets and their follow-up (:mod:`tandau.core.control.programmes`) and
procurement red flags. The subpackages are imported by name; this package exports nothing itself."""

__all__: list[str] = []
