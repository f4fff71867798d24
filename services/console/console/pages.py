"""How a screen answers: the whole page, or for htmx only the part that changed; and after a
change, on to the page that shows it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, redirect, render_template, request


def render(page: str, fragment: str, *, page_only: Callable[[], dict] | None = None, **context) -> str:
    """`fragment` (the form htmx swaps in place) for htmx, `page` (which includes it) otherwise,
    so every screen also works with scripts off. `page_only` gives what only the rest of the page
    shows (lists, filters): it is called, and the services asked, only for the whole page."""
    if request.headers.get("HX-Request"):
        return render_template(fragment, **context)
    return render_template(page, **context, **(page_only() if page_only else {}))


def go_to(url: str) -> Response:
    """Post/redirect/get: a reload never posts twice. htmx is told to load the page itself."""
    if request.headers.get("HX-Request"):
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect(url, code=303)
