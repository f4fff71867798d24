"""The words the screens show, looked up in the console's own message catalog: a test asserts the
Chinese a clerk reads without writing it twice."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations

CATALOG = Path(__file__).resolve().parents[2] / "services" / "console" / "console" / "translations"


@cache
def _zh() -> Translations:
    return Translations.load(str(CATALOG), ["zh"])


def zh(msgid: str, **facts) -> str:
    """The console's Chinese for an English msgid, filled in with `facts` as the screen fills it."""
    words = _zh().gettext(msgid)
    return words % facts if facts else words
