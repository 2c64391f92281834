"""Login, logout and the one-time setup of the first organiser."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from ..core.errors import DomainError
from ..extensions import db
from . import operations
from .forms import AccountForm, LoginForm

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only redirect within this site after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("workshops.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.find_user(form.email.data)
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("E-mail or password is wrong."))
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" or form.errors == {} else 400


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("workshops.index"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    if operations.valid_setup_token(token) is None:
        abort(404)
    form = AccountForm()
    if form.validate_on_submit():
        try:
            operations.redeem_setup_token(token)
            user = operations.create_user(form.email.data, form.name.data, form.password.data, is_admin=True)
            operations.adopt_ownerless_workshops(user)
            db.session.commit()
        except DomainError:
            db.session.rollback()
            abort(404)
        login_user(user)
        flash(_("Welcome! Your organiser account is ready."))
        return redirect(url_for("workshops.dashboard"))
    return render_template("accounts/setup.html", form=form), 200 if request.method == "GET" else 400
