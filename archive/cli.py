"""The command line: build | check | serve | import | new; exit codes 0, 1, 2; the only printer."""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from archive.base import urls
from archive.base.diagnostics import ContentError, display_path, printable, summarize
from archive.base.interface import load_interface
from archive.base.records import Source
from archive.build.pipeline import BuildOptions, build, check
from archive.content.reader import read_sources
from archive.content.schema import did_you_mean
from archive.output.search import SearchIndexError
from archive.output.writer import MARKER, is_built_site
from archive.site.publishing import describe_held_back

COMMANDS = ("build", "check", "serve", "import", "new")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py", description="Build the archive of translated texts into a static site."
    )
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,import,new}")
    build_parser = commands.add_parser("build", help="build the whole site (the default)")
    add_content_options(build_parser)
    add_output_options(build_parser)
    build_parser.add_argument(
        "--drafts", action="store_true", help="build the drafts too (draft: true), each marked on its page"
    )
    build_parser.add_argument(
        "--future", action="store_true", help="build the texts dated after today too, each marked on its page"
    )
    check_parser = commands.add_parser("check", help="validate the content, write nothing")
    add_content_options(check_parser)
    serve_parser = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change")
    add_content_options(serve_parser)
    add_output_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_parser.add_argument("--port", type=parse_port, default=8000, help="port (default 8000)")
    add_import_parser(commands)
    add_new_parser(commands)
    return parser


def add_new_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "new",
        help="write the skeleton of a new article, every field commented",
        description="Write content/articles/<year>/<slug>.md for a new text, never over an existing file.",
    )
    parser.add_argument("title", metavar="TITLE", help="the title of the text; the slug is made from it")
    parser.add_argument(
        "--source", required=True, metavar="KEY", help="the key of its source in sources.yaml"
    )
    parser.add_argument(
        "--date", type=parse_date, help="first publication of the work, YYYY-MM-DD (default: a TODO)"
    )
    add_content_options(parser, templates=False)


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help="turn texts as found on the web into draft articles",
        description=(
            "Print a draft article for FILE (report on standard error), or write it with --write. "
            "Several files, or a folder, import as a batch: one report each, nothing overwritten."
        ),
    )
    parser.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="plain-text files, saved HTML pages, or folders of them",
    )
    parser.add_argument(
        "--source", required=True, metavar="KEY", help="the key of its source in sources.yaml"
    )
    parser.add_argument("--date", type=parse_date, help="first publication of the work, YYYY-MM-DD")
    parser.add_argument(
        "--retrieved", type=parse_date, help="when the copy was taken, YYYY-MM-DD (default: today)"
    )
    parser.add_argument("--title", help="the title, instead of the one found (one file only)")
    parser.add_argument(
        "--slug", type=parse_slug, help="the file's slug, instead of one made from the title (one file only)"
    )
    parser.add_argument(
        "--language", type=parse_language, help="the text's language, BCP 47 (e.g. en, pt-BR)"
    )
    parser.add_argument(
        "--author", action="append", default=[], metavar="NAME", help="an author (repeat for several)"
    )
    parser.add_argument(
        "--translator", action="append", default=[], metavar="NAME", help="a translator (repeat for several)"
    )
    parser.add_argument("--write", action="store_true", help="write content/articles/<year>/<slug>.md")
    add_content_options(parser)


def parse_slug(text: str) -> str:
    if not urls.is_safe_slug(text):
        suggestion = urls.slugify_name(text)
        hint = f" (perhaps '{suggestion}')" if suggestion else ""
        raise argparse.ArgumentTypeError(f"'{text}' is not a slug: lower-case a-z, 0-9 and hyphens{hint}")
    return text


def parse_language(text: str) -> str:
    from archive.base.languages import standard_form, suggest_language

    standard = standard_form(text)
    if standard is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a BCP 47 language code ({suggest_language(text)})")
    return standard


def parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def parse_port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 1 to 65535")
    return int(text)


def parse_base_url(text: str) -> str:
    """An absolute http(s) URL with no query or fragment: every page's links start from it."""
    parts = urlsplit(text)
    if not urls.is_web_url(text) or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an http(s) URL such as https://example.org/archive/"
        )
    return text


def add_content_options(parser: argparse.ArgumentParser, templates: bool = True) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (content/)")
    if templates:
        parser.add_argument(
            "--templates", type=Path, default=Path("templates"), help="templates (templates/)"
        )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("_site"), help="output folder (_site/)")
    parser.add_argument(
        "--base-url",
        type=parse_base_url,
        default=None,
        help="the URL the site is served at, e.g. https://example.org/archive/",
    )
    parser.add_argument(
        "--relative-urls",
        action="store_true",
        help="links relative to each page: the folder works from file://, a USB stick or any prefix",
    )
    parser.add_argument(
        "--no-search", action="store_true", help="skip the search index (faster; /search/ finds nothing)"
    )
    parser.add_argument(
        "--no-history", action="store_true", help="leave out the texts' corrections read from git"
    )
    parser.add_argument("--jobs", type=int, default=0, metavar="N", help="processes (default: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="build from scratch; keep no .cache/")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the cache is kept (default: .cache beside the content folder)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress display and no summary line")


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content_dir=args.content,
        out_dir=getattr(args, "out", Path("_site")),
        templates_dir=getattr(args, "templates", Path("templates")),
        base_url=getattr(args, "base_url", None),
        relative_urls=getattr(args, "relative_urls", False),
        search=not getattr(args, "no_search", False),
        history=not getattr(args, "no_history", False),
        jobs=max(0, getattr(args, "jobs", 0)),
        cache=not getattr(args, "no_cache", False),
        cache_dir=getattr(args, "cache_dir", None),
        # serve is a curator's preview: it shows what a build would hold back, marked as such
        drafts=getattr(args, "drafts", False) or args.command == "serve",
        future=getattr(args, "future", False) or args.command == "serve",
    )


def check_folders(command: str, options: BuildOptions) -> str:
    """A usage problem with the folders, or ''."""
    needed = [("content", options.content_dir)]
    if command in ("build", "serve"):
        needed.append(("templates", options.templates_dir))
    for label, folder in needed:
        if not folder.is_dir():
            return f"the {label} folder {folder} does not exist"
    return check_output_folder(options) if command in ("build", "serve") else ""


def check_output_folder(options: BuildOptions) -> str:
    """Refuse an output folder whose replacement would destroy something that is not a built site."""
    out = options.out_dir.resolve()
    sources = [options.content_dir.resolve(), options.templates_dir.resolve()]
    here = Path.cwd().resolve()
    if out == here or out in here.parents:
        return f"--out {options.out_dir} is the working folder or holds it; choose a folder of its own"
    if any(out == folder or out in folder.parents or folder in out.parents for folder in sources):
        return f"--out {options.out_dir} overlaps the content or the templates folder"
    if out.exists() and not out.is_dir():
        return f"--out {options.out_dir} is a file, not a folder"
    if out.is_dir() and any(out.iterdir()) and not is_built_site(out):
        return (
            f"--out {options.out_dir} holds files but is not a site this archive built (no {MARKER});"
            " a build replaces its folder whole: choose a new folder"
        )
    return ""


def say_on_stderr(message: str) -> None:
    print(printable(message), file=sys.stderr)


def print_errors(error: ContentError) -> None:
    for diagnostic in error.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    print(summarize(error.diagnostics), file=sys.stderr)


def main(argv: list[str]) -> int:
    """Run one command; return the exit status."""
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    args = make_parser().parse_args(argv)
    options = options_from(args)
    problem = check_folders(args.command, options)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        return run(args, options)
    except ContentError as error:
        print_errors(error)
        return 1
    except SearchIndexError as error:
        print(f"error: {error}; the previous output is untouched", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except OSError as error:  # a full disk, no permission, a file where a folder should be
        where = display_path(error.filename) if error.filename else "the build"
        print(
            printable(f"{where}: error: {error.strerror or error}; the previous output is untouched"),
            file=sys.stderr,
        )
        return 1


def run(args: argparse.Namespace, options: BuildOptions) -> int:
    if args.command == "import":
        return run_import(args, options.content_dir)
    if args.command == "new":
        return run_new(args, options.content_dir)
    if args.command == "check":
        content = check(options)
        texts = "text" if len(content.articles) == 1 else "texts"
        print(f"{len(content.articles)} {texts} and {len(content.sources)} sources checked: no errors")
        held = describe_held_back(options.publishing().held_back(content.articles))
        _, no_catalog = load_interface(options.templates_dir, content.config.language)
        for notice in (held, no_catalog):
            if notice:
                print(notice)
        return 0
    if args.command == "serve":
        from archive.server import serve  # only here: a build needs neither it nor watchfiles

        return serve(options, args.host, args.port)
    quiet = getattr(args, "quiet", False)
    keep_freed_memory()
    progress = TerminalProgress() if sys.stdout.isatty() and not quiet else None
    try:
        report = build(options, progress, say_on_stderr)
    finally:
        if progress:
            progress.clear()
    if not quiet:
        print(report.summary())
    return 0


# glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2


def keep_freed_memory() -> bool:
    """Ask glibc's allocator to keep the memory a build frees for its next use; True if asked.

    By default it gives the free memory at the top of its heap back to the system as soon as
    there is 128 KB of it, and takes it again, a page fault for each page, with the next
    allocations: a cold build of 10,000 texts faults 60,000 pages in this way. A build is one
    short process, so what it keeps is no cost; the server, which lives on between builds,
    leaves the allocator as it is.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: a 2 ms import that only this command needs

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False  # a C library without mallopt
    return bool(mallopt(M_TOP_PAD, 16 << 20)) and bool(mallopt(M_TRIM_THRESHOLD, 512 << 20))


class TerminalProgress:
    """One self-erasing status line, shown only once a build has run for a second."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, step: str, done: int, total: int) -> None:
        if time.monotonic() - self.start < 1.0:
            return
        sys.stdout.write(f"\r{step}: {done}/{total} \x1b[K")
        sys.stdout.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stdout.write("\r\x1b[K")
            sys.stdout.flush()


def find_source(key: str, content_dir: Path) -> Source | None:
    """The source registered under key; None, with the error and a did-you-mean printed, if none is."""
    sources, _ = read_sources(content_dir / "sources.yaml")
    if key not in sources:
        hint = did_you_mean(key, sources, f"add it to {content_dir / 'sources.yaml'} first")
        print(f"error: unknown source '{key}' ({hint})", file=sys.stderr)
        return None
    return sources[key]


def run_new(args: argparse.Namespace, content_dir: Path) -> int:
    """Write a new article's skeleton; exit 2 for an unknown source or a title without a slug."""
    from archive.importer.skeleton import BadTitle, make_skeleton, write_skeleton  # it loads the importer

    source = find_source(args.source, content_dir)
    if source is None:
        return 2
    try:
        skeleton = make_skeleton(args.title, source, content_dir, args.date, datetime.date.today())
        written = write_skeleton(skeleton)
    except BadTitle as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except FileExistsError:
        print(f"error: {display_path(skeleton.path)} already exists; new never overwrites", file=sys.stderr)
        return 1
    print(f"wrote {display_path(written)}; fill in its TODO fields and the text, then: python build.py check")
    return 0


def run_import(args: argparse.Namespace, content_dir: Path) -> int:
    """Import files: drafts to standard output (or to content/ with --write), each report to stderr."""
    from archive.importer.batch import gather_inputs  # only here: it loads the importer and ftfy's tables

    inputs = gather_inputs(args.files)
    problem = check_import_usage(args, inputs.files)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if find_source(args.source, content_dir) is None:
        return 2
    for line in inputs.skipped:
        print(line, file=sys.stderr)
    batch = len(inputs.files) > 1
    failed = sum(0 if import_one(path, args, content_dir, batch) else 1 for path in inputs.files)
    if batch:
        done = len(inputs.files) - failed
        print(f"{done} of {len(inputs.files)} files imported; {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def check_import_usage(args: argparse.Namespace, files: tuple[Path, ...]) -> str:
    """A usage problem with the import's files or options, or ''."""
    if not files:
        return "no .txt or .html files to import in " + ", ".join(str(path) for path in args.files)
    missing = [str(path) for path in files if not path.exists()]
    if missing:
        return f"no such file: {', '.join(missing)}"
    if len(files) > 1 and (args.title or args.slug):
        return "--title and --slug name one text: give them with one file only"
    if any(not name.strip() for name in [*args.author, *args.translator]):
        return "--author and --translator need a name"
    return ""


def import_one(path: Path, args: argparse.Namespace, content_dir: Path, batch: bool) -> bool:
    """Import one file, print its report and its draft (or where it went); tell whether it went well."""
    from archive.importer.batch import place_draft, read_archive, write_placed
    from archive.importer.importer import ImportOptions, import_file
    from archive.importer.textinput import ImportFailed

    options = ImportOptions(
        source=args.source,
        date=args.date,
        retrieved=args.retrieved or datetime.date.today(),
        title=args.title or "",
        slug=args.slug or "",
        language=args.language or "",
        authors=tuple(name.strip() for name in args.author),
        translators=tuple(name.strip() for name in args.translator),
    )
    if batch:
        print(f"== {path}", file=sys.stderr)
    try:
        draft = import_file(path, options)
    except (ImportFailed, OSError) as error:
        print(f"{path}: error: {error}", file=sys.stderr)
        return False
    print("\n".join(draft.report), file=sys.stderr)
    if not args.write:
        if batch:
            print(f"(not written: give --write to write it as {draft.slug}.md)", file=sys.stderr)
        else:
            sys.stdout.write(draft.text)
        return True
    if draft.year is None:
        print(f"{path}: error: no date found for the year folder; give --date YYYY-MM-DD", file=sys.stderr)
        return False
    archive = read_archive(content_dir)
    earlier = archive.imported.get(draft.sha256)
    if earlier is not None:
        print(f"{path}: error: already imported as {display_path(earlier)}; nothing written", file=sys.stderr)
        return False
    if args.slug and args.slug in archive.slugs:
        print(
            f"{path}: error: --slug {args.slug} is taken by {display_path(archive.slugs[args.slug])}",
            file=sys.stderr,
        )
        return False
    placed = place_draft(draft, archive, content_dir, fixed_slug=bool(args.slug))
    try:
        written = write_placed(draft, placed, archive)
    except FileExistsError:
        print(
            f"{path}: error: {display_path(placed.path)} already exists; the importer never overwrites",
            file=sys.stderr,
        )
        return False
    if placed.note:
        print(f"note: {placed.note}", file=sys.stderr)
    print(f"wrote {display_path(written)}; fill in its TODO fields, then run: python build.py check")
    return True
