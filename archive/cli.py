"""The command line: build | check | serve | import; exit codes 0, 1, 2; the only printer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive.diagnostics import ContentError, summarize
from archive.pipeline import BuildOptions, build, check
from archive.search import SearchIndexError
from archive.server import serve

COMMANDS = ("build", "check", "serve", "import")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py", description="Build the archive of translated texts into a static site."
    )
    commands = parser.add_subparsers(dest="command", metavar="{build,check,serve,import}")
    build_parser = commands.add_parser("build", help="build the whole site (the default)")
    add_content_options(build_parser)
    add_output_options(build_parser)
    check_parser = commands.add_parser("check", help="validate the content, write nothing")
    add_content_options(check_parser)
    serve_parser = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change")
    add_content_options(serve_parser)
    add_output_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    return parser


def add_content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (content/)")
    parser.add_argument("--templates", type=Path, default=Path("templates"), help="templates (templates/)")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("_site"), help="output folder (_site/)")
    parser.add_argument(
        "--base-url", default=None, help="the URL the site is served at, e.g. https://example.org/archive/"
    )
    parser.add_argument(
        "--no-search", action="store_true", help="skip the search index (faster; /search/ finds nothing)"
    )


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content_dir=args.content,
        out_dir=getattr(args, "out", Path("_site")),
        templates_dir=args.templates,
        base_url=getattr(args, "base_url", None),
        search=not getattr(args, "no_search", False),
    )


def check_folders(options: BuildOptions) -> str:
    """A usage problem with the folders, or ''."""
    for label, folder in (("content", options.content_dir), ("templates", options.templates_dir)):
        if not folder.is_dir():
            return f"the {label} folder {folder} does not exist"
    return ""


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
    problem = check_folders(options)
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


def run(args: argparse.Namespace, options: BuildOptions) -> int:
    if args.command == "check":
        content = check(options)
        texts = "text" if len(content.articles) == 1 else "texts"
        print(f"{len(content.articles)} {texts} and {len(content.sources)} sources checked: no errors")
        return 0
    if args.command == "serve":
        return serve(options, args.host, args.port)
    report = build(options)
    print(report.summary())
    return 0
