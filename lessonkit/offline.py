"""The offline download: each built edition as a zip that works unzipped and opened from disk.

The book already needs no server and no network (every page, search included, works from
`file://`), so the zip is the built site itself plus a short README, with the build's own
bookkeeping (.buildinfo, the failure marker) left out. It refuses to package a missing or failed
build rather than ship a page that says "This book did not build", and an edition whose PDFs are
not made yet (`python -m lessonkit pdf`), rather than ship "Print (PDF)" links that open nothing.
The projector views are pages of the site, so they come with it.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from . import failsafe
from .pdf.render import BUILD, SITES, unmade_links

OUT = Path("_build/offline")
SKIP = {".buildinfo", failsafe.MARKER}

README = """Clear Signals: {title}
{underline}

How to open it: unzip this file, open the folder {folder}, and open index.html in a web
browser (double-click it). Everything works from disk, with no internet connection: the pages,
search, the scenario choices and printing. Nothing is sent anywhere and nothing is tracked.

{about}

Made on {date} from the book's sources. The content is licensed CC BY-SA 4.0 and the code MIT: see
the page "Reuse, adapt and credit" in the book. Help resources change: check each one on the
organization's own site before sharing it (the book's "Help resources" page says when each was
last reviewed).
"""
ABOUT = {
    "teacher": "This is the TEACHER edition: it includes the facilitator notes, the minute-by-minute plans, "
               "\"listen for\" notes, answer keys, the counselor's guide and the pages for adults. Do not give "
               "it to students; give them the student edition.",
    "student": "This is the STUDENT edition: the lessons as students see them, with no teacher notes, answer "
               "keys or pages for adults. It is safe to share with students.",
}


class OfflineError(Exception):
    pass


def make(root: Path, edition: str, out_dir: Path | None = None) -> Path:
    root = Path(root)
    site = root / SITES[edition]
    command = BUILD[edition]
    problem = failsafe.unbuilt(site, SITES[edition], edition, command)
    if problem:
        raise OfflineError(problem)
    # a teacher who unzips it in a classroom with no network can still print
    unmade = unmade_links(site, site)
    if unmade:
        (page, href), more = unmade[0], len(unmade) - 1
        raise OfflineError(f"{SITES[edition]}/{page}: its PDF link to {href} has no file"
                           f"{f' (nor do {more} more)' if more else ''}; expected the edition's PDFs made "
                           "before the zip (run python -m lessonkit pdf, or scripts/offline.sh)")
    out_dir = Path(out_dir) if out_dir else root / OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = f"clear-signals-{edition}"
    target = out_dir / f"{folder}.zip"
    title = f"{edition} edition"
    readme = README.format(title=title, underline="=" * (len("Clear Signals: ") + len(title)), folder=folder,
                           about=ABOUT[edition], date=dt.date.today().isoformat())
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{folder}/README.txt", readme)
        for path in sorted(site.rglob("*")):
            rel = path.relative_to(site)
            if path.is_file() and not (set(rel.parts) & SKIP):
                archive.write(path, f"{folder}/{rel.as_posix()}")
    partial.replace(target)  # never a half-written zip under the real name
    return target
