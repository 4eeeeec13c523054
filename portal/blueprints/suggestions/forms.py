"""Forms of the suggestion box. Category and people choices are filled by the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.blueprints.suggestions.models import RATINGS
from portal.forms import PortalForm


class SuggestionForm(PortalForm):
    category_id = SelectField(_l("Category"), coerce=int,
                              validators=[DataRequired(message=_l("Choose a category."))])
    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Give your suggestion a title.")), Length(max=120)])
    text = TextAreaField(_l("Your suggestion"), validators=[
        DataRequired(message=_l("Write your suggestion.")), Length(min=5, max=4000)])
    photo = FileField(_l("Photo (optional)"))
    anonymous = BooleanField(_l("Send anonymously (nothing about me is kept)"))
    code = HiddenField()  # the follow-up code the phone made (offline), see suggestions.js


class PaperForm(PortalForm):
    category_id = SelectField(_l("Category"), coerce=int,
                              validators=[DataRequired(message=_l("Choose a category."))])
    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Give the slip a short title.")), Length(max=120)])
    text = TextAreaField(_l("Text of the slip"), validators=[
        DataRequired(message=_l("Type what the slip says.")), Length(min=2, max=4000)])
    scan = FileField(_l("Scan or photo of the slip (optional)"))


class CodeForm(PortalForm):
    code = StringField(_l("Follow-up code"), validators=[
        DataRequired(message=_l("Type your follow-up code.")), Length(max=40)])


class CodeReplyForm(CodeForm):
    body = TextAreaField(_l("Your reply"), validators=[
        DataRequired(message=_l("Write your reply.")), Length(max=2000)])


class RatingForm(PortalForm):
    code = HiddenField()
    rating = RadioField(_l("How good is the answer"), coerce=int, choices=list(RATINGS.items()),
                        validators=[InputRequired(message=_l(
                            "Choose a rating from 1 (very poor) to 5 (very good)."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=1000)])


class RouteForm(PortalForm):
    department_id = SelectField(_l("Responsible department"), coerce=int,
                                validators=[DataRequired(message=_l("Choose a department."))])


class AnswererForm(PortalForm):
    user_id = SelectField(_l("Who answers"), coerce=int,
                          validators=[DataRequired(message=_l("Choose a person."))])


OUTCOME_CHOICES = [("solved", _l("Solved")), ("planned", _l("Planned")),
                   ("declined", _l("Declined"))]


class AnswerForm(PortalForm):
    outcome = RadioField(_l("Outcome"), choices=OUTCOME_CHOICES,
                         validators=[InputRequired(message=_l("Choose an outcome."))])
    text = TextAreaField(_l("Answer: what was done, why it cannot be done at once, or why not"),
                         validators=[Length(max=4000)])
    link = StringField(_l("Link to what proves it (optional)"), validators=[Length(max=300)])
    plan = TextAreaField(_l("Plan"), validators=[Length(max=4000)])
    owner_id = SelectField(_l("Owner of the plan"), coerce=int, validators=[Optional()])
    target_date = DateField(_l("Target date"), validators=[Optional()])


class MergeForm(PortalForm):
    kept = StringField(_l("Number of the suggestion to keep"), validators=[
        DataRequired(message=_l("Type the number of the suggestion to keep.")), Length(max=20)])


class ReplyForm(PortalForm):
    body = TextAreaField(_l("Reply"), validators=[
        DataRequired(message=_l("Write your reply.")), Length(max=2000)])


class CategoryForm(PortalForm):
    name_zh = StringField(_l("Name in Chinese"), validators=[DataRequired(), Length(max=40)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=40)])


class TemplateForm(PortalForm):
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES)
    name = StringField(_l("Name of the template"), validators=[DataRequired(), Length(max=60)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=4000)])
