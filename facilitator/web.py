"""HTTP glue shared by all pages: blueprints, security headers, errors, template helpers."""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import CSP, LOCALES
from .extensions import db, login_manager


def register_web(app) -> None:
    from .accounts.models import User
    from .accounts.routes import bp as accounts_bp
    from .core.api import bp as api_bp
    from .groups.routes import bp as groups_bp
    from .join.routes import bp as join_bp
    from .workshops import api as _api  # noqa: F401  (registers the API endpoints)
    from .workshops.routes import bp as workshops_bp
    from .workshops.team import bp as team_bp

    app.register_blueprint(workshops_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(join_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(groups_bp)

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        chosen = request.args.get("lang")
        if chosen in LOCALES:
            response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if request.path.startswith("/api/"):
            code = {401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
                err.code, "http_error")
            return jsonify({"ok": False, "error": {"code": code, "message": err.description}}), err.code
        return render_template("error.html", error=err), err.code

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        if request.path.startswith("/api/"):
            return jsonify({"ok": False, "error": {"code": "csrf_failed", "message": err.description}}), 400
        return render_template("error.html", error=err), 400

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import redirect, url_for

        if request.path.startswith("/api/"):
            return jsonify({"ok": False, "error": {"code": "not_authenticated", "message": "log in first"}}), 401
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    @app.context_processor
    def template_helpers():
        from .core.i18n import js_strings

        return {"current_locale": str(get_locale()), "locales": LOCALES, "js_strings": js_strings}
