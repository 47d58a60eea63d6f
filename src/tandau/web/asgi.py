"""ASGI entry point for servers: ``uvicorn tandau.web.asgi:app`` (settings from ``TANDAU_*``)."""

from tandau.web.app import create_app

app = create_app()
