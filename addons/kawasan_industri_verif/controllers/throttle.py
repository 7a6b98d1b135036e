"""The answer of a public page to a client that passed its request limit."""

from odoo.http import request


def throttled(scope):
    """A 429 page with Retry-After when the client passed its limit on `scope`, else None."""
    wait = request.env["ki.throttle"].sudo()._hit(scope, request.httprequest.remote_addr)
    if not wait:
        return None
    return request.render(
        "kawasan_industri_verif.too_many_requests",
        {"wait": wait},
        status=429,
        headers=[("Retry-After", str(wait))],
    )
