"""Join forms: a code, then optional name and organisation. Nothing is required but the code."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields import EmailField
from wtforms.validators import DataRequired, Email, Length, Optional

from .models import ORGANISATION_TYPES

ORGANISATION_TYPE_LABELS = {
    "kommune": _l("Municipality"),
    "kreis": _l("District"),
    "regionalverband": _l("Regional association"),
    "land_bund": _l("State / federal government"),
    "wissenschaft": _l("Research"),
    "zivilgesellschaft": _l("Civil society"),
    "wirtschaft": _l("Business"),
    "sonstige": _l("Other"),
}
assert set(ORGANISATION_TYPE_LABELS) == set(ORGANISATION_TYPES)


class CodeForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[DataRequired(), Length(min=6, max=12)])


class JoinForm(FlaskForm):
    display_name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=60)])
    organisation = StringField(_l("Organisation (optional)"), validators=[Optional(), Length(max=120)])
    organisation_type = SelectField(
        _l("Type of organisation (optional)"),
        choices=[("", _l("Not specified"))] + [(key, ORGANISATION_TYPE_LABELS[key]) for key in ORGANISATION_TYPES],
        validators=[Optional()],
    )
    email = EmailField(
        _l("E-mail (optional)"), validators=[Optional(), Email(), Length(max=254)],
        description=_l("Only if you want the facilitation team to put you into your Zoom breakout room in advance. "
                       "Not shown to anyone else; deleted with your other data."),
    )
