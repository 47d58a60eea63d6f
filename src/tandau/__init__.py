"""Tandau: software for a political party's electoral cycle under list quotas.

The pure computational core lives in :mod:`tandau.core`; file formats in :mod:`tandau.io`;
use cases in :mod:`tandau.services`; the command line in :mod:`tandau.cli`.
"""

from tandau.errors import TandauError

__version__ = "0.1.0"

__all__ = ["TandauError", "__version__"]
