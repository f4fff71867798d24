"""The README's configuration reference names every setting the code reads, so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `env.get("NAME"`, `environ.get("NAME"`, `os.environ.setdefault("NAME"`, `env["NAME"]`
READ = re.compile(r"""(?:env|environ)(?:\.get|\.setdefault)?\(\s*["']([A-Z][A-Z0-9_]+)["']|(?:env|environ)\[["']([A-Z][A-Z0-9_]+)["']\]""")


def settings_read_by_the_code() -> dict[str, str]:
    found: dict[str, str] = {}
    sources = [*ROOT.glob("shared/**/*.py"), *ROOT.glob("services/*/*/**/*.py"), *ROOT.glob("tools/*.py"),
               ROOT / "deploy" / "gunicorn.conf.py"]
    for path in sources:
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or relative.name == "testing.py":
            continue
        for match in READ.finditer(path.read_text()):
            found.setdefault(match.group(1) or match.group(2), str(relative))
    return found


def test_the_reader_finds_settings_of_every_kind():
    found = settings_read_by_the_code()
    assert {"BROKER_URL", "JWT_SECRET", "WEB_TIMEOUT", "QUALITY_HOLD_INCIDENTS"} <= set(found)


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    # Built as f"{service}_DATABASE_URL", so the reader cannot see them.
    for service in ("PARTS", "WARRANTY", "COMPLAINTS"):
        assert f"`{service}_DATABASE_URL`" in readme
    missing = {name: where for name, where in settings_read_by_the_code().items()
               if not re.search(rf"`{name}(?:`|=)", readme)}
    assert not missing, f"settings read by the code but not described in README.md: {missing}"
