"""The web face of Tandau: JSON API (``/api/v1``), voter pages, secretary pages (see ``docs/web.md``)."""

from tandau.web.app import create_app

__all__ = ["create_app"]
