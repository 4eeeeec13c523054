"""Page pieces the suggestions module's view files share (routes.py, office.py, followup.py):
who may open an item, and the item's page with its forms."""

from flask import abort, render_template
from flask_login import current_user

from portal.blueprints.suggestions import answers, services
from portal.blueprints.suggestions.models import Suggestion
from portal.extensions import db


def get_suggestion(suggestion_id: int, for_user) -> Suggestion:
    """The item if this person may see it: on the board, their own named one, its answerers,
    the office. Anything else is 404 (an anonymous item is nobody's to open by login)."""
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None:
        abort(404)
    if (suggestion.published_at is not None or for_user.has_role("office")
            or (suggestion.submitter_id is not None and suggestion.submitter_id == for_user.id)
            or answers.can_answer(suggestion, for_user)):
        return suggestion
    abort(404)


def detail_page(suggestion: Suggestion, status: int = 200, **forms):
    from portal.blueprints.suggestions import office

    context = office.staff_context(suggestion, current_user, **forms)
    return render_template(
        "suggestions/detail.html", s=suggestion,
        supported=services.supported(current_user, suggestion),
        following=services.following(current_user, suggestion),
        own=suggestion.submitter_id == current_user.id, **context), status
