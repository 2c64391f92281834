"""Run Werkstatt on the embedded server: ``python app.py [--host H] [--port P]``.

The async mode is set explicitly (FACILITATOR_ASYNC_MODE, default gevent) and the standard
library is monkey-patched for it before anything else is imported.
"""
import argparse
import os
import sys

ASYNC_MODE = os.environ.get("FACILITATOR_ASYNC_MODE") or "gevent"
if ASYNC_MODE == "gevent" and __name__ == "__main__":
    from gevent import monkey

    monkey.patch_all()
elif ASYNC_MODE == "eventlet" and __name__ == "__main__":
    import eventlet

    eventlet.monkey_patch()

from facilitator import create_app  # noqa: E402
from facilitator.extensions import socketio  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Run Werkstatt (embedded server).")
    parser.add_argument("--host", default=os.environ.get("FACILITATOR_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("FACILITATOR_PORT", "5000")))
    args = parser.parse_args(argv)

    app = create_app({"ASYNC_MODE": ASYNC_MODE})
    base = f"http://{args.host if args.host not in ('0.0.0.0', '::') else '127.0.0.1'}:{args.port}"
    with app.app_context():
        from facilitator.core.bootstrap import ensure_demo_workshop, forget_connections, new_setup_token

        ensure_demo_workshop()
        # Several processes (message queue) would each print a link and invalidate the others':
        # there, operators use `flask setup-link` or `flask organiser create` once.
        single_process = not app.config["MESSAGE_QUEUE"]
        token = new_setup_token() if single_process else None
        if single_process:
            forget_connections()
    if token:
        print(f"\n  Werkstatt: create the first organiser account here (one-time link):\n  {base}/setup/{token}\n", flush=True)
    print(f"  Werkstatt runs on {base} (async mode {ASYNC_MODE})", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=bool(os.environ.get("FACILITATOR_ACCESS_LOG")))


if __name__ == "__main__":
    sys.exit(main())
else:
    # ``gunicorn -k gevent -w 1 app:app`` and ``flask --app app`` use this instance.
    app = create_app()
