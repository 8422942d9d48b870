"""The counselor's small-group guide: group sessions with their own metadata, glance panel,
check-out, note home and generated group overview. Every page of the guide is teacher-only."""
from __future__ import annotations

from .directives import CheckOut, SessionNote
from .overview import setup_group_overview
from .panel import ENV, InsertSessionPanel


def setup_groups(app) -> None:
    app.add_directive("check-out", CheckOut)
    app.add_directive("session-note", SessionNote)
    app.add_transform(InsertSessionPanel)
    setup_group_overview(app)
