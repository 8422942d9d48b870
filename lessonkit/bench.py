"""The build benchmark: `python -m lessonkit bench` (scripts/bench.sh). Not a test: it times builds.

In one run, side by side on the same machine, it builds the teacher edition of
  base   a given commit (default: the commit before the speed work), from a git worktree,
  head   the working tree as it is (uncommitted changes included),
  plain  the working tree's sources with plain Sphinx: the same extensions, the alabaster theme,
         no Jupyter Book extension and no book theme,
each from a clean copy at 1x (the book) and at Nx (--scale N, default 10: about N times the 1x book's
documents; synthetic copies of every band's lessons and their handouts as far as lesson sequence
numbers allow (the schema caps them at 20 a band), then as many translated editions of every other
page as it takes (book/ and counselor pages, family letters, handouts; each edition in its own folder,
tr1/, tr2/, ..., with its own parts in the table of contents), then, for base and head at 1x, a rebuild
after editing one lesson and a rebuild with nothing changed, in turn, --repeat times (medians). Every copy is made in a temporary folder and removed afterwards; nothing is committed.

Each build runs in its own process, as `python -m lessonkit build` does (serial reading unless the
build itself says otherwise), so the figures include Python's start-up, as a reader's build does.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

SKIP = shutil.ignore_patterns(".venv", ".venv-py*", "_build", ".git", "__pycache__", ".pytest_cache",
                              "*.egg-info", "mutants", ".mutmut-cache", "html", "node_modules")
MAX_SEQUENCE = 20  # lessonkit.schema: a lesson's sequence is 1..20 within its band
PLAIN_EXTENSIONS = ["myst_nb", "sphinx_external_toc", "sphinx_design", "sphinx.ext.graphviz",
                    "sphinxcontrib.bibtex", "lessonkit"]
EDIT_MARK = "(edited by the benchmark)"


# ---------------------------------------------------------------- making the books

def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=SKIP)
    return dest


def _front_matter(text: str) -> tuple[dict, str, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), head, body


def toc_files(toc: dict) -> list[str]:
    """Every document the table of contents names, root first."""
    files = [toc["root"]]
    def walk(entries):
        for e in entries:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return files


def book_pages(toc: dict) -> int:
    """The HTML pages the book writes, less the few every book has (index, search, genindex):
    one a document, and a lesson's projector view (-present) besides."""
    files = toc_files(toc)
    return len(files) + sum(1 for f in files if f.startswith("lessons/") and not f.endswith("/index"))


def scale_book(root: Path, scale: int) -> dict:
    """Make the book about `scale` times its pages: copies of every band's lessons (with their
    handouts) as far as lesson sequence numbers allow, then as many translated editions of every
    other page (book/ pages, counselor pages, family letters, handouts), each in its own folder
    (tr1/, tr2/, ...) with its own parts in the table of contents, as a translated edition adds;
    return what was added and the page counts."""
    toc_path = root / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    before = book_pages(toc)
    added = {"lessons": 0, "handouts": 0, "translated": 0, "translations": 0}
    for part in toc["parts"]:
        for chapter in part.get("chapters", []):
            if not re.fullmatch(r"lessons/grades-[0-9-]+/index", chapter.get("file", "")):
                continue
            originals = list(chapter.get("sections", []))
            band_max = max(_front_matter((root / (s["file"] + ".md")).read_text(encoding="utf-8"))[0]
                           ["lesson"]["sequence"] for s in originals)
            for k in range(1, scale):
                if band_max * (k + 1) > MAX_SEQUENCE:
                    break
                for section in originals:
                    chapter["sections"].append(_copy_lesson(root, section, k, band_max, added))
    original_parts = list(toc["parts"])
    # a translated edition translates the pages, not the numbered units: lessons (their sequence is
    # capped per band) and counselor group sessions (one orientation, sessions 1..N, one follow-up)
    pages = [f for f in toc_files({"root": toc["root"], "parts": original_parts})
             if not f.startswith("lessons/") and not re.fullmatch(r"book/counselors/grades-[^/]+/(?!index$)[^/]+", f)]
    # one bibliography and one glossary per book: a second copy of either defines every entry twice
    pages = [f for f in pages if f not in ("book/sources", "book/glossary")]
    target = scale * before
    t = 0
    while book_pages(toc) < target - len(pages) // 2:  # the nearest whole number of editions
        t += 1
        folder = f"tr{t}"
        _translate(root, pages, folder)
        for part in original_parts:
            chapters = [{"file": translated(f, folder)} for f in toc_files({"root": "", "parts": [part]})[1:]
                        if f in pages]
            if chapters:
                toc["parts"].append({"caption": f"{part['caption']} ({folder})", "chapters": chapters})
        added["translated"] += len(pages)
    added["translations"] = t
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    added["pages"] = {"1x": before, f"{scale}x": book_pages(toc)}
    return added


def translated(doc: str, folder: str) -> str:
    """Where a translated edition keeps a page: its folder goes after the top folder, so a handout
    stays under activities/ and its band's folder, as lessonkit expects of a handout."""
    top, rest = doc.split("/", 1)
    return f"{top}/{folder}/{rest}"


PATH_REF = re.compile(r"[^)>`\s#]+")


def _translate(root: Path, pages: list[str], folder: str) -> None:
    """Copy `pages` into the translated edition `folder`, as a translator would: links to translated
    pages point at their translation, links to what is not translated (lessons, scenarios, images)
    at the original; labels (and the forms named by them) get the folder's suffix, so each is
    defined once."""
    copied = set(pages)
    labels = set()
    texts = {}
    for f in pages:
        text = (root / (f + ".md")).read_text(encoding="utf-8")
        labels.update(re.findall(r"^\(([\w-]+)\)=", text, flags=re.M))
        texts[f] = text
    for f, text in texts.items():
        here = Path(f).parent

        def fix(m: re.Match) -> str:
            target = m.group(0)
            if "://" in target or target.startswith(("mailto:", "/", "project:", "#")):
                return target
            resolved = os.path.normpath(here / target)
            exists = (root / resolved).exists()
            if resolved.startswith("..") or not (exists or (root / (resolved + ".md")).exists()):
                return target
            doc = resolved[:-3] if resolved.endswith(".md") else resolved
            if doc in copied:
                return "/" + translated(doc, folder) + (".md" if resolved.endswith(".md") else "")
            return "/" + resolved

        # link and include targets: markdown links, {doc} roles and targets, directive arguments
        text = re.sub(r"(\]\(|<|\{doc\}`|^```\{(?:include|figure|image)\} )([^)>`\s#]+)",
                      lambda m: m.group(1) + PATH_REF.sub(fix, m.group(2), count=1), text, flags=re.M)
        if labels:
            names = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
            # where a label is named: its definition, {ref} targets, #anchors, and the front matter
            # (forms: name theirs)
            where = rf"(^\(|<|\{{ref\}}`|#)({names})(?=[)>`])"
            text = re.sub(where, rf"\1\2-{folder}", text, flags=re.M)
            if text.startswith("---\n"):
                _, head, body = text.split("---\n", 2)
                head = re.sub(rf"(?<![\w-])({names})(?![\w-])", rf"\1-{folder}", head)
                text = f"---\n{head}---\n{body}"
        head, body = text.split("---\n", 2)[1:] if text.startswith("---\n") else ("", text)
        body = re.sub(r"^# (.+)$", rf"# \1 ({folder})", body, count=1, flags=re.M)
        text = f"---\n{head}---\n{body}" if head else body
        dest = root / (translated(f, folder) + ".md")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")


def _copy_lesson(root: Path, section: dict, k: int, shift: int, added: dict) -> dict:
    src = root / (section["file"] + ".md")
    data, _, body = _front_matter(src.read_text(encoding="utf-8"))
    lesson = data["lesson"]
    title = lesson["title"]
    handouts = []
    for handout in lesson.get("handouts", []):
        h = Path(handout)
        copy = h.with_name(f"c{k}-{h.name}")
        htext = (root / h).read_text(encoding="utf-8")
        (root / copy).write_text(re.sub(r"^# (.+)$", rf"# \1 (copy {k})", htext, count=1, flags=re.M),
                                 encoding="utf-8")
        body = body.replace(f"/{h.with_suffix('').as_posix()}>", f"/{copy.with_suffix('').as_posix()}>")
        handouts.append(copy.as_posix())
        added["handouts"] += 1
    lesson.update(id=f"{lesson['id']}-copy{k}", title=f"{title} (copy {k})", sequence=lesson["sequence"] + k * shift)
    if handouts:
        lesson["handouts"] = handouts
    body = body.replace(f"# {title}\n", f"# {title} (copy {k})\n", 1)
    dest = src.with_name(f"c{k}-{src.name}")
    head = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    dest.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    added["lessons"] += 1
    entry = {"file": dest.relative_to(root).with_suffix("").as_posix()}
    subs = [{"file": (Path(s["file"]).parent / f"c{k}-{Path(s['file']).name}").as_posix()}
            for s in section.get("sections", [])]
    if subs:
        entry["sections"] = subs
    return entry


def lesson_to_edit(root: Path) -> Path:
    return sorted(root.glob("lessons/grades-6-8/0*.md"))[0]


# ---------------------------------------------------------------- building

PLAIN_DRIVER = """
import sys
from pathlib import Path
from jupyter_book.config import get_final_config
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils
root, out = sys.argv[1], sys.argv[2]
config, _ = get_final_config(user_yaml=Path(root) / "_config.yml", sourcedir=Path(root), use_external_toc=True,
                             cli_config={"lessonkit_edition": "teacher", "latex_individualpages": False})
for key in list(config):  # the book theme's, Jupyter Book's and its extensions' settings
    if key.startswith(("html_theme", "comments_", "use_jupyterbook_latex", "jblatex_", "html_sidebars")):
        del config[key]
# alabaster has no footer items, so no page can carry the license line lessonkit checks for
config.update(html_theme="alabaster", extensions=%r, lessonkit_license_page="")
with patch_docutils(None), docutils_namespace():
    app = Sphinx(root, None, out + "/html", out + "/.doctrees", "html", confoverrides=config,
                 status=sys.stdout, warning=sys.stderr)
    app.build()
sys.exit(app.statuscode)
""" % (PLAIN_EXTENSIONS,)


class Run:
    def __init__(self, name: str, root: Path, code: Path, plain: bool = False):
        self.name, self.root, self.code, self.plain = name, root, code, plain

    def build(self) -> tuple[float, int, set[str]]:
        """Seconds, pages written, and the documents read."""
        env = dict(os.environ, PYTHONPATH=str(self.code))
        out = self.root / "_build"
        if self.plain:
            cmd = [sys.executable, "-c", PLAIN_DRIVER, str(self.root), str(out)]
        else:
            cmd = [sys.executable, "-m", "lessonkit", "build", "--root", str(self.root)]
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=self.root, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        log = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
        (self.root.parent / f"{self.root.name}.log").write_text(log, encoding="utf-8")
        if proc.returncode:
            raise SystemExit(f"bench: the {self.name} build failed; its log: {self.root.parent}/{self.root.name}.log\n"
                             + log[-3000:])
        pages = sum(1 for _ in (out / "html").rglob("*.html"))
        # a parallel read names chunks, "first .. last": then this counts their ends only
        read = {page for pair in re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)(?: \.\. (\S+))?", log)
                for page in pair if page}
        return seconds, pages, read


def rebuilds(run: Run, build: str, repeat: int) -> list[dict]:
    """An edit-one-lesson rebuild, then a rebuild with nothing changed, `repeat` times in turn (each
    time a new edit of the same lesson); the median of each, since one rebuild takes a few seconds
    and a busy machine moves a single figure by a quarter."""
    edited = lesson_to_edit(run.root)
    text = edited.read_text(encoding="utf-8")
    first = re.search(r"^[A-Z][^\n]{20,}$", text.split("---\n", 2)[2], re.M).group(0)
    times: dict[str, list[float]] = {"edit": [], "no-change": []}
    reads: dict[str, set[int]] = {"edit": set(), "no-change": set()}
    for i in range(repeat):
        edited.write_text(text.replace(first, f"{first} {EDIT_MARK} {i + 1}", 1), encoding="utf-8")
        for kind in ("edit", "no-change"):
            seconds, _, read = run.build()
            times[kind].append(seconds)
            reads[kind].add(len(read))
    edited.write_text(text, encoding="utf-8")
    rows = []
    for kind in ("edit", "no-change"):
        runs = sorted(times[kind])
        rows.append({"build": f"{kind} rebuild", "of": build, "book": "1x", "seconds": statistics.median(runs),
                     "runs": runs, "read": max(reads[kind])})
        print(f"bench: {build} {kind} rebuild: median {rows[-1]['seconds']:.2f} s of {repeat} "
              f"({runs[0]:.2f}-{runs[-1]:.2f}), {rows[-1]['read']} pages re-read", flush=True)
    return rows


def worktree(repo: Path, rev: str, dest: Path) -> Path:
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", str(dest), rev], check=True,
                   capture_output=True, text=True)
    return dest


def default_base(repo: Path) -> str:
    """The commit before the first one that added this benchmark (the speed work starts there)."""
    first = subprocess.run(["git", "-C", str(repo), "log", "--diff-filter=A", "--format=%H", "--",
                            "lessonkit/bench.py"], capture_output=True, text=True).stdout.split()
    return f"{first[-1]}^" if first else "HEAD"


# ---------------------------------------------------------------- the table

def table(rows: list[dict]) -> str:
    out = ["| build | book | seconds | pages | s/page | vs base | vs plain |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    by = {(r["build"], r["book"]): r for r in rows if "of" not in r}
    for r in rows:
        base, plain = by.get(("base", r["book"])), by.get(("plain", r["book"]))
        vs_base = f"{r['seconds'] / base['seconds']:.2f}x" if base and r["build"] not in ("base",) and "rebuild" not in r["build"] else ""
        vs_plain = f"{r['seconds'] / plain['seconds']:.2f}x" if plain and r["build"] in ("base", "head") else ""
        if "rebuild" in r["build"]:  # what counts is what it re-read, not the pages already there
            base = next((b for b in rows if b["build"] == r["build"] and b.get("of") == "base"), None)
            vs_base = f"{r['seconds'] / base['seconds']:.2f}x" if base and r["of"] != "base" else ""
            out.append(f"| {r['of']} {r['build']} (median of {len(r['runs'])}) | {r['book']} | {r['seconds']:.2f} | "
                       f"{r['read']} re-read | | {vs_base} | |")
            continue
        out.append(f"| {r['build']} | {r['book']} | {r['seconds']:.1f} | {r['pages']} | "
                   f"{r['seconds'] / max(r['pages'], 1):.3f} | {vs_base} | {vs_plain} |")
    return "\n".join(out)


def summary(rows: list[dict]) -> list[str]:
    by = {(r["build"], r["book"]): r for r in rows}
    lines = []
    per_page = lambda r: r["seconds"] / r["pages"]  # noqa: E731
    if ("head", "1x") in by and ("base", "1x") in by:
        lines.append(f"full build, head vs base (1x): {by['head', '1x']['seconds'] / by['base', '1x']['seconds']:.2f}x"
                     " (target: at most 0.6x)")
    for build in ("base", "head", "plain"):
        one = by.get((build, "1x"))
        big = next((r for r in rows if r["build"] == build and r["book"] != "1x"), None)
        if one and big:
            lines.append(f"{big['book']} book, {build}: {big['pages']} pages vs {one['pages']} at 1x, "
                         f"{big['pages'] / one['pages']:.1f}x; cost per page {big['book']} vs 1x: "
                         f"{per_page(big) / per_page(one):.2f}x"
                         + (" (target: at most 1.3x at 10x)" if build == "head" else ""))
    for build in ("base", "head"):
        e = next((r for r in rows if r["build"] == "edit rebuild" and r.get("of") == build), None)
        n = next((r for r in rows if r["build"] == "no-change rebuild" and r.get("of") == build), None)
        if e and n:
            lines.append(f"{build}: rebuild after editing one lesson vs no-change rebuild (medians): "
                         f"{e['seconds'] / n['seconds']:.2f}x" + (" (target: at most 1.2x)" if build == "head" else "")
                         + f"; pages re-read: {e['read']} vs {n['read']} (expected 1 and 0)")
    return lines


def main(argv: list[str] | None = None, repo: Path | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lessonkit bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path("."), help="the book's root folder (a git clone)")
    parser.add_argument("--base", default=None, help="the commit to compare with (default: the commit before "
                                                      "the one that added this benchmark)")
    parser.add_argument("--quick", action="store_true", help="the 1x book only")
    parser.add_argument("--scale", type=int, default=10, help="the scaled book is about N times the 1x book's "
                        "documents: lesson copies as far as sequence numbers allow, then translated editions")
    parser.add_argument("--only", default="base,head,plain", help="which builds (comma-separated)")
    parser.add_argument("--repeat", type=int, default=5, help="edit/no-change rebuild pairs to take the "
                        "median of (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    repo = (repo or args.root).resolve()
    base = args.base or default_base(repo)
    base_commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", base], capture_output=True,
                                 text=True, check=True).stdout.strip()
    only = args.only.split(",")
    work = Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
    rows: list[dict] = []
    print(f"bench: base {base} ({base_commit}), head = the working tree of {repo}; in {work}", flush=True)
    try:
        base_tree = worktree(repo, base, work / "base-tree") if "base" in only else None
        scaled = f"{args.scale}x"
        books = ["1x"] if args.quick else ["1x", scaled]
        for book in books:
            sources = {"base": base_tree, "head": repo, "plain": repo}
            for build in ("base", "head", "plain"):
                if build not in only:
                    continue
                root = copy_tree(sources[build], work / f"{build}-{book}")
                if book != "1x":
                    added = scale_book(root, args.scale)
                    if build == "head":
                        print(f"bench: {book} book: {added}", flush=True)
                code = base_tree if build == "base" else repo
                run = Run(build, root, code, plain=build == "plain")
                seconds, pages, read = run.build()
                rows.append({"build": build, "book": book, "seconds": seconds, "pages": pages, "read": len(read)})
                print(f"bench: {build} {book}: {seconds:.1f} s, {pages} pages", flush=True)
                if build in ("base", "head") and book == "1x":
                    rows.extend(rebuilds(run, build, args.repeat))
    finally:
        if "base" in only:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(work / "base-tree")],
                           capture_output=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"base = {base_commit}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(table(rows))
    print()
    for line in summary(rows):
        print(line)
    if args.json:
        args.json.write_text(json.dumps({"base": base_commit, "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
