"""Routers, one module per face; :data:`tandau.web.app.ROUTERS` lists the ones mounted."""
