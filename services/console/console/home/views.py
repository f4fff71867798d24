"""The start page: the desks this user works at."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("home/index.html")
