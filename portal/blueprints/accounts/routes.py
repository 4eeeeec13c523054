"""Signing in and out, one's own password, language and profile."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup

from portal.blueprints.accounts import sessions, throttle
from portal.blueprints.accounts.forms import ChangePasswordForm, LoginForm, ProfileForm
from portal.blueprints.accounts.models import LANGUAGES, ROLES, User
from portal.blueprints.accounts.passwords import check_password, hash_password
from portal.blueprints.pwa.outbox import outbox
from portal.cookies import renew_csrf_secret
from portal.extensions import db, login_manager
from portal.htmx import see_other
from portal.security import safe_next
from portal.templating import framed, kept_block

bp = Blueprint("accounts", __name__, template_folder="templates")
# Who is signed in is decided by the sign-in records (sessions.py), for the app this joins.
bp.record_once(lambda state: login_manager.user_loader(sessions.load_user))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with employee number and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if request.method == "GET":
        return _blank_login_page()
    form = LoginForm()
    if form.validate_on_submit():
        client = request.remote_addr or ""
        wait = throttle.wait_seconds(form.employee_no.data, client)
        if wait:
            form.password.errors.append(_(
                "Too many failed attempts from this device. Please wait %(minutes)d minutes "
                "or ask the office.", minutes=max(1, round(wait / 60))))
            return _login_page(form), 429
        user = User.by_employee_no(form.employee_no.data)
        # Always verify (against a dummy hash when there is no such person): the time taken
        # must not tell which employee numbers exist.
        password_ok = check_password(user.password_hash if user else None, form.password.data)
        if user is None or not user.active or not password_ok:
            throttle.record_failure(form.employee_no.data, client)
            db.session.commit()
            form.password.errors.append(_("Employee number or password is wrong."))
            return _login_page(form), 200
        throttle.clear(form.employee_no.data, client)
        sessions.start(user, remember=form.remember.data)
        db.session.commit()
        session.clear()  # a new session on login: nothing from before carries over
        session.permanent = True
        renew_csrf_secret()
        login_user(user, remember=form.remember.data)
        target = safe_next(request.args.get("next"))
        if user.must_change_password:  # the office's password: choose one's own first
            return redirect(url_for("accounts.change_password", next=target), code=303)
        return redirect(target or url_for("home.index"), code=303)
    return _login_page(form)


def _login_page(form):
    return render_template("accounts/login.html", form=form)


NO_CACHE = Markup(' data-no-cache="1"')  # login.html's body_attrs: the phone keeps no copy


def _blank_login_page():
    """The sign-in page as everyone first opens it: kept per language and sign-out note."""
    note = request.args.get("signed_out")
    note = note if note in (None, "everywhere") else "yes"
    content = kept_block("accounts/login.html", "content", (note,),
                         lambda: {"form": LoginForm(formdata=None)})
    return framed(_("Sign in"), content, NO_CACHE)


@bp.post("/logout")
def logout():
    """Sign out: this sign-in ends on the server too, so a copy of its cookies opens nothing."""
    sessions.end(current_user.session_record)
    db.session.commit()
    return _signed_out()


def _signed_out(everywhere: bool = False):
    """Drop both cookies; the page tells the service worker to forget this person's pages."""
    logout_user()
    # Flask-Login marks the remember cookie for deletion in the session; clear() would wipe
    # that mark and leave the cookie signing the next person in. Keep it across the clear.
    remember = session.get("_remember")
    session.clear()
    if remember:
        session["_remember"] = remember
    response = redirect(url_for("accounts.login", signed_out="everywhere" if everywhere else 1),
                        code=303)
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@outbox
def change_password():
    """Change one's own password; every other session of this person ends.

    After the office reset it, this is the only page open to the person until they are done;
    then they go on to the page they were after.
    """
    form = ChangePasswordForm()
    forced = current_user.must_change_password
    if form.validate_on_submit():
        if not check_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            user = current_user._get_current_object()
            user.password_hash = hash_password(form.new.data)
            user.must_change_password = False
            user.end_sessions(keep=user.session_record)  # whoever else knew it is out
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            if forced:
                return see_other(safe_next(request.args.get("next")) or url_for("home.index"))
            return see_other(url_for("accounts.profile"))
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form, forced=forced), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    """One's own details and language."""
    form = ProfileForm(language=current_user.language)
    if form.validate_on_submit():
        current_user.language = form.language.data
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form,
                           sign_ins=sessions.active_for(current_user),
                           this_sign_in=current_user.session_record)


@bp.post("/account/sessions/<int:record_id>/end")
@login_required
def end_session(record_id: int):
    """Sign out on one of one's devices (this one: as the sign-out button does)."""
    record = sessions.get_active(current_user, record_id)
    this_device = record.id == current_user.session_record.id
    device = record.device or _("an unknown device")
    sessions.end(record)
    db.session.commit()
    if this_device:
        return _signed_out()
    flash(_("Signed out on %(device)s.", device=device), "success")
    return see_other(url_for("accounts.profile"))


@bp.post("/account/sessions/end-all")
@login_required
def end_all_sessions():
    """Sign out everywhere, this device included: every sign-in of this person ends."""
    current_user.end_sessions()
    db.session.commit()
    return _signed_out(everywhere=True)


@bp.post("/language")
def set_language():
    """The language switcher: remembered on the account, or in the session before login."""
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"), code=303)


@bp.app_context_processor
def inject_languages():
    return {"LANGUAGES": LANGUAGES, "ROLES": ROLES}
