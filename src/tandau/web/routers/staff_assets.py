"""Chart libraries for the staff pages, served from ``node_modules`` (never copied into the repository).

The foundation serves ``node_modules/<pkg>/dist``; vega, vega-lite and vega-embed ship their browser bundles in
``build/``, so they are served here from an allow-list. ``vega-interpreter`` (an ES module) evaluates Vega
expressions without ``eval``, as the site's Content-Security-Policy (``script-src 'self'``) requires; its one
import from ``vega-util`` is answered from the ``vega`` bundle already loaded on the page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandau.services.primaries.errors import NotFoundError

router = APIRouter(prefix="/assets", include_in_schema=False)

FILES: dict[str, tuple[str, str]] = {
    "vega.min.js": ("vega", "build/vega.min.js"),
    "vega-lite.min.js": ("vega-lite", "build/vega-lite.min.js"),
    "vega-embed.min.js": ("vega-embed", "build/vega-embed.min.js"),
    "vega-interpreter.js": ("vega-interpreter", "build/vega-interpreter.js"),
    "axe.min.js": ("axe-core", "axe.min.js"),
}
INTERPRETER_IMPORT = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
INTERPRETER_GLOBAL = "const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;"


def node_modules(request: Request) -> Path | None:
    from tandau.web.app import node_modules_dir

    override = getattr(request.app.state, "staff_node_modules", None)
    return Path(override) if override else node_modules_dir()


def asset_path(request: Request, name: str) -> Path:
    root = node_modules(request)
    if name not in FILES or root is None:
        raise NotFoundError("asset", name)
    pkg, rel = FILES[name]
    path = root / pkg / rel
    if not path.is_file():
        raise NotFoundError("asset", name)
    return path


def available(request: Request) -> bool:
    """Whether every chart library is installed (else pages show tables only)."""
    root = node_modules(request)
    return root is not None and all((root / pkg / rel).is_file() for pkg, rel in FILES.values())


@router.get("/{name}")
def asset(request: Request, name: str) -> Response:
    path = asset_path(request, name)
    body = path.read_text(encoding="utf-8")
    if name == "vega-interpreter.js":
        body = body.replace(INTERPRETER_IMPORT, INTERPRETER_GLOBAL)
    return Response(body, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})
