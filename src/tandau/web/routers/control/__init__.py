"""Party control faces: the control board, region pages and control cases, pages and JSON API."""
