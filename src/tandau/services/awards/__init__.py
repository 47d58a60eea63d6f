"""The party's awards (issue 14, item 5): :mod:`.nominations` (a branch nominates, the central office reviews,
each act audited), :mod:`.demo` (synthetic nominations). The certificate is drawn by
:mod:`tandau.io.award_pdf`."""
