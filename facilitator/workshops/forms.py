"""Forms for creating workshops."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class NewWorkshopForm(FlaskForm):
    template = SelectField(_l("Template"), validators=[Optional()])
    title = StringField(_l("Title (leave empty to use the template's)"), validators=[Optional(), Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(_l("Agenda file (TOML)"), validators=[DataRequired()])
