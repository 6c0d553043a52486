"""A Flask app served by waitress on a free loopback port, as ``make serve`` serves it,
for the tests that need real HTTP: a browser, concurrent clients."""

import threading
from contextlib import contextmanager

import waitress
from waitress import wasyncore


@contextmanager
def serving(app, threads=8):
    """Yields the base URL (``http://127.0.0.1:PORT``) while waitress serves ``app``."""
    socket_map = {}
    server = waitress.create_server(app, map=socket_map, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Sockets are closed inside the server's own loop: closing them from this thread
        # could pull one from under a select() in progress.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(socket_map))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive(), "waitress did not stop"
