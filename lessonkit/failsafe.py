"""When a build fails, leave a site that says so instead of one that looks complete.

A stale or half-written site that opens normally is how a wrong lesson reaches a classroom.
So a failed build replaces the output folder with a single page listing what went wrong.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed: Clear Signals</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>This book did not build</h1>
<p>The last build stopped because of the problems below. Nothing here is ready to teach from.
Fix them and build again.</p>
<ul>
{items}
</ul>
</main></body></html>
"""


MARKER = "_lessonkit_failed"


def unbuilt(site: Path, shown: str, edition: str, command: str, also: str = "") -> str | None:
    """Why a command that reads a built edition (pdf, offline) cannot: not built, or the last build
    failed; None when the edition is there to read."""
    if not (Path(site) / "index.html").is_file():
        return (f"{shown}/index.html: no such file; expected a built {edition} edition "
                f"(run {command} first{also})")
    if (Path(site) / MARKER).exists():
        return (f"{shown}: the last {edition} build failed; expected a successful build "
                f"(fix the problems it lists, then run {command})")
    return None


def clear_failure(outdir: Path) -> None:
    """At the start of a build: drop a previous failure page so the real pages replace it."""
    outdir = Path(outdir)
    if (outdir / MARKER).exists():
        shutil.rmtree(outdir)


def mark_failed(outdir: Path, problems: list[str], doctreedir: Path | None = None) -> None:
    outdir = Path(outdir)
    if doctreedir is not None:
        # Forget what was read, so the next build reads every page again and repeats every
        # warning; otherwise an unchanged page with a problem would pass silently next time.
        (Path(doctreedir) / "environment.pickle").unlink(missing_ok=True)
    # Only ever clear a folder that Sphinx wrote (or an empty one): never a folder of the user's.
    if outdir.is_dir() and ((outdir / ".buildinfo").exists() or (outdir / MARKER).exists()
                            or not any(outdir.iterdir())):
        shutil.rmtree(outdir)
    if outdir.exists():
        return
    outdir.mkdir(parents=True)
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems) or "<li>see the build log</li>"
    (outdir / "index.html").write_text(PAGE.format(items=items), encoding="utf-8")
    (outdir / MARKER).write_text("\n".join(problems) + "\n", encoding="utf-8")
