"""`/api/v1/classifications`: how intake would read a complaint's text, before it is recorded."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import runtime
from shared.http.security import requires_role

from complaints.api.roles import RECEIVERS
from complaints.api.schemas import ClassificationPreview, ClassificationText
from complaints.service import intake

blp = Blueprint("classifications", __name__, url_prefix="/api/v1/classifications",
                description="The classifier's reading of a text as the desk types it (分类预览)")


@blp.route("")
class Classifications(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(ClassificationText)
    @blp.response(200, ClassificationPreview)
    def post(self, body):
        """Classify a text as intake would (category, severity, the deciding words); records nothing"""
        return intake.preview(runtime().unit_of_work.rules, **body)
