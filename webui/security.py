"""Defences every response carries, whatever route or error produced it.

Article text is shown as HTML (snippets, highlighted titles and bodies). It is escaped
where it is marked up, but should escaping ever fail, the browser still runs no inline
script, loads nothing from elsewhere and cannot be framed by another site. Server errors
are logged and shown as an Arabic page (or a JSON error for the API), never a traceback.
"""

from flask import render_template, request

# Scripts and styles only from our own files (the autocomplete script is one), never
# inline: an injected <script> or onerror= attribute is refused by the browser.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Queries are in our URLs; other sites need not learn what a reader searched for.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# Answers that go stale when the index is rebuilt, and errors, are never cached.
NO_STORE = "no-store"
UNCACHED_PREFIXES = ("/api/", "/healthz")


def init_app(app):
    """Adds the headers to every response and the Arabic page for server errors."""
    app.after_request(security_headers)
    app.register_error_handler(500, server_error)


def security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.status_code >= 400 or request.path.startswith(UNCACHED_PREFIXES):
        response.headers["Cache-Control"] = NO_STORE
    return response


def server_error(error):
    """An unexpected failure (Flask has already logged it with its traceback): the
    reader gets a short Arabic page, a script a one-line JSON error."""
    if request.path.startswith(UNCACHED_PREFIXES):
        return {"error": "internal server error; it has been logged"}, 500
    return render_template("error.html", q="", title="حدث خطأ في الخادم",
                           message="تعذّر عرض هذه الصفحة بسبب خطأ عندنا، وقد سُجّل. أعد المحاولة بعد قليل."), 500
