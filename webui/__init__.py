"""The search web UI: Arabic, right-to-left pages and a small JSON API over ``indexer``.

Run it with ``make serve`` (waitress calls ``create_app()``), or build your own app with
``create_app(index_dir=...)``. The UI only reads the index; ``python -m indexer build``
writes it, and a rebuilt index is picked up without a restart.
"""

import os

from flask import Flask

from webui import api, arabic, archive, pages, security
from webui.live_index import LiveIndex


def create_app(test_config=None, index_dir=None):
    """The Flask app. The index folder is ``index_dir``, else the config's ``INDEX_DIR``,
    else ``$ARABIC_SEARCH_INDEX``, else ``index`` in the working directory."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("ARABIC_SEARCH_INDEX", "index"),
        # How often a request may look for a newly built index generation.
        REFRESH_SECONDS=2.0,
        PAGE_SIZE=10,
        # Newest stories on the home page, before anything is typed.
        LATEST_STORIES=5,
    )
    if test_config is not None:
        app.config.update(test_config)
    if index_dir is not None:
        app.config["INDEX_DIR"] = os.fspath(index_dir)
    # Fixed now, so a later change of working directory cannot move the index.
    app.config["INDEX_DIR"] = os.path.abspath(app.config["INDEX_DIR"])

    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    # Readable Arabic in API responses instead of \u escapes, keys in the documented order.
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["live_index"] = LiveIndex(app.config["INDEX_DIR"], app.config["REFRESH_SECONDS"])
    arabic.register_filters(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(archive.bp)
    security.init_app(app)
    return app
