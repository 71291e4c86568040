"""The command line: parse arguments, run a pipeline command, report.

Content errors (`SiteError`) are printed as `path:line:col: error: message`
and exit 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import gc
import shlex
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .config import Config, base_url_problem, load_config
from .errors import BuildFailed, ConfigError, Diagnostics, SiteError, SourcePos
from .theme import PACKAGE_THEMES

if TYPE_CHECKING:
    from .made import Progress
    from .pipeline import BuildResult
    from .uptodate import LastBuild

# The engine (pipeline) is imported only when there is work for it: a build with
# nothing to do answers before loading it.

DESCRIPTION = """\
Build a website from interview and podcast transcripts.

Put transcripts in content/ (WebVTT, SRT, Whisper or Podcasting 2.0 JSON,
Otter/Descript/Rev text exports, `**Name** (m:ss)` speaker headers, raw
captions with `>>` speaker marks, or `Name: text` lines), optionally with a
<name>.yaml file beside each one, then run `{prog} serve` to preview the site
while you edit, or `{prog} build` to build site/ for publishing."""

EPILOG = """\
examples:
  {prog} init mysite          start a new site in the folder mysite/
  {prog} serve --open         preview at http://127.0.0.1:8000/ while you edit
  {prog} build                build the site into site/
  {prog} check                validate content and theme, write nothing
  {prog} new content/talk.txt write content/talk.yaml, a commented starter
  {prog} build --out public   build into public/ instead
"""


def port_number(text: str) -> int:
    """`--port`: a TCP port, refused the argparse way (`argument --port: ...`)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 5 or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {text[:20]!r}")
    return int(text)


COMMANDS = {
    "build": ("", "Build the site into site/ (or `output` in config.yaml), making again only what\n"
              "changed since the last build. Exit 1 on any error, and site/ is left as it was."),
    "check": ("", "Read and check every file as a build would (formats, annotations, quotes,\n"
              "theme) and write nothing. Exit 1 on any error."),
    "serve": ("", "Build, then preview the site on 127.0.0.1 and rebuild on every save; open\n"
              "pages reload by themselves. Drafts are included."),
    "new": ("FILE", "Write FILE's annotation starter beside it (content/talk.txt ->\n"
            "content/talk.yaml), listing its speaker labels; never over an existing file."),
    "init": ("[DIR]", "Start a new site in DIR (default: here): config.yaml, a sample transcript\n"
             "and its annotations, the schema, a publishing workflow. Writes nothing into a\n"
             "folder that already has a config.yaml."),
}
"""Each command's arguments and what it does, for `gloss COMMAND --help`."""

SITE, WRITES = ("build", "check", "serve"), ("build", "serve")
OPTIONS: list[tuple[tuple[str, ...], dict[str, object], tuple[str, ...]]] = [
    (("--config",), {"metavar": "FILE", "default": None,
                     "help": "site settings (default: config.yaml, if present)"}, SITE),
    (("--base-url",), {"metavar": "URL", "default": None, "help": "the address the site is "
                       "published at (overrides base_url in the config)"}, SITE),
    (("--out",), {"metavar": "DIR", "default": None,
                  "help": "output folder (default: `output` in the config, or site/)"}, WRITES),
    (("--port",), {"type": port_number, "default": None,
                   "help": "serve: port on 127.0.0.1 (default: 8000, or the next free one)"}, ("serve",)),
    (("--open",), {"action": "store_true", "help": "serve: open the site in a browser"}, ("serve",)),
    (("--strict",), {"action": "store_true", "help": "build, check: fail (exit 1) on warnings too"},
     ("build", "check")),
    (("--jobs",), {"type": int, "default": 0, "metavar": "N",
                   "help": "build: processes to make transcripts in (default: one per core)"}, ("build",)),
    (("--no-cache",), {"action": "store_true",
                       "help": "build: make every transcript again, without .gloss-cache/"}, ("build",)),
    (("--drafts",), {"action": "store_true", "help": "build, check: include transcripts marked "
                     "`draft: true` (serve always does)"}, ("build", "check")),
]
"""Every option, with the commands it is for (any command accepts any of them)."""


def make_parser(prog: str = "gloss", command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `command`, a parser whose help shows only
    that command and the options it uses (`gloss serve --help`)."""
    if command is None:
        parser = argparse.ArgumentParser(
            prog=prog, description=DESCRIPTION.format(prog=prog), epilog=EPILOG.format(prog=prog),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument("command", nargs="?", default="build", choices=tuple(COMMANDS),
                            help="build (default): write the site; check: validate only, write "
                            "nothing; serve: build, preview on 127.0.0.1 and rebuild on every save; "
                            "new FILE: write a starter annotation file for a transcript; "
                            "init [DIR]: start a new site in DIR (default: here)")
        parser.add_argument("file", nargs="?", help="new: the transcript, e.g. content/talk.txt; "
                            "init: the folder for the new site")
    else:
        args, text = COMMANDS[command]
        parser = argparse.ArgumentParser(prog=f"{prog} {command}", description=text,
                                         usage=f"%(prog)s {args + ' ' if args else ''}[options]",
                                         formatter_class=argparse.RawDescriptionHelpFormatter)
    for flags, settings, commands in OPTIONS:
        if command is None or command in commands:
            parser.add_argument(*flags, **settings)  # type: ignore[arg-type]
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    if command is None or command in WRITES:
        loud.add_argument("-v", "--verbose", action="store_true", help="list every file written")
    if command is None:
        parser.add_argument("--version", action="version", version=f"gloss {__version__}")
    return parser


def _command_help(argv: list[str], prog: str) -> None:
    """`gloss serve --help` prints serve's help, not the whole command line's."""
    if "-h" in argv or "--help" in argv:
        command = next((a for a in argv if a in COMMANDS), None)
        if command:
            make_parser(prog, command).parse_args(["--help"])  # prints and exits


def _config(args: argparse.Namespace) -> Config:
    if args.config:
        config = load_config(Path(args.config), required=True)
    else:
        config = load_config(Path("config.yaml"), required=False)
    if args.out:
        out = Path(args.out).resolve()
        config = replace(config, output_dir=str(out))
    if args.base_url is not None:
        url = args.base_url.strip()
        problem = base_url_problem(url)
        if problem:
            raise ConfigError(SourcePos("--base-url"), f"the base URL {problem}",
                              "for example --base-url https://you.github.io/repo/")
        config = replace(config, base_url=url if url.endswith("/") else url + "/")
    if args.drafts or args.command == "serve":
        config = replace(config, drafts=True)
    config = replace(config, jobs=max(0, args.jobs), cache=not args.no_cache)
    out = config.output_path.resolve()
    root = config.root.resolve()
    # Resolved, so a theme folder that is a link to elsewhere is guarded too.
    inputs = (config.content_path.resolve(), (config.root / "themes").resolve(),
              config.theme_path.resolve(), PACKAGE_THEMES)
    if out == root or out in root.parents or any(out == i or i in out.parents or out in i.parents
                                                  for i in inputs):
        raise ConfigError(SourcePos(config.path), f"refusing to write the site into {out}",
                          "choose an output folder of its own, such as site/")
    return config


def _progress(stream: TextIO) -> Progress:
    """A one-line progress report, redrawn in place, only on a terminal."""
    def report(done: int, total: int, name: str) -> None:
        if total < 2:
            return
        line = f"[{done}/{total}] {name}" if name else ""
        stream.write("\r\033[K" + line)
        stream.flush()
    from .pipeline import _no_progress

    return report if stream.isatty() else _no_progress


def _scaffold(parser: argparse.ArgumentParser, args: argparse.Namespace, prog: str) -> int:
    """`new` and `init`: write starter files, never over anything that exists."""
    try:
        if args.command == "init":
            from .scaffold import init

            folder = Path(args.file or ".")
            started = init(folder)
            if not args.quiet:
                where = "" if folder == Path(".") else f"cd {shlex.quote(str(folder))} && "
                print(f"started a site in {folder}/ ({len(started.written)} files): run "
                      f"`{where}{prog} serve` to preview it, then add your transcripts to content/")
                for problem in started.warnings:
                    print(problem, file=sys.stderr)
            return 0
        if not args.file:
            parser.error("new needs the transcript file, e.g. content/talk.txt")
        from .starter import write_starter

        target, *also = write_starter(Path(args.file), Path("."))
    except SiteError as problem:
        print(problem, file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {target}: fill in the speakers, then run `{prog} check`")
        for path in also:
            print(f"wrote {path}, the schema it names for YAML editors' completion")
    return 0


def run() -> int:
    """The `gloss` console command."""
    return main(prog="gloss")


def _report(diag: Diagnostics, stream: TextIO) -> None:
    for problem in diag.sorted():
        print(problem, file=stream)


def _build(config: Config, strict: bool, quiet: bool, err: TextIO) -> BuildResult | LastBuild:
    """Build, unless the site is still what the last build made (uptodate.py)."""
    if config.cache:
        from .uptodate import lookup

        last = lookup(replace(config, search=config.searchable))
        if last is not None:
            if strict and last.diagnostics.counted:
                raise BuildFailed(last.diagnostics)
            return last
    from . import pipeline

    return pipeline.build(config, _progress(err) if not quiet else pipeline._no_progress,
                          strict=strict, search=True)


GC_YOUNG = 50_000
"""Allocations between the collector's young passes (Python's default: 700). A
build allocates millions of objects that live (every cached result at 5,000
episodes) or die young (a page's tokens), and almost none in cycles: at the
default a 1,000-episode build spent 7% of its time collecting, a one-off build
after an edit at 5,000 episodes 10%. Workers inherit it."""


def main(argv: list[str] | None = None, prog: str = "gloss") -> int:
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
    argv = sys.argv[1:] if argv is None else argv
    _command_help(argv, prog)
    parser = make_parser(prog)
    args = parser.parse_args(argv)
    err = sys.stderr
    started = time.perf_counter()
    if args.command in ("new", "init"):
        return _scaffold(parser, args, prog)
    if args.file:
        parser.error(f"unexpected argument: {args.file}")
    try:
        config = _config(args)
        if args.command == "serve":
            from .serve import serve

            return serve(Path(args.config or "config.yaml"), config, args.port or 8000,
                         args.port is not None, args.open)
        if args.command == "check":
            from . import pipeline

            diag = pipeline.check(config)
            _report(diag, err)
            if diag.errors or (args.strict and diag.counted):
                print(f"check failed: {len(diag.errors)} error(s), "
                      f"{len(diag.counted)} warning(s)", file=err)
                return 1
            if not args.quiet:
                print(f"check passed: {len(diag.counted)} warning(s)")
            return 0
        result = _build(config, args.strict, args.quiet, err)
    except BuildFailed as failed:
        diag = failed.diagnostics
        _report(diag, err)
        counted = f"{len(diag.errors)} error(s)" + (f", {len(diag.counted)} warning(s) (--strict)"
                                                     if args.strict and diag.counted else "")
        print(f"build failed: {counted}; the site was not changed", file=err)
        return 1
    except SiteError as problem:
        print(problem, file=err)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    if args.verbose:
        for rel in result.written:
            print(f"wrote {rel}")
        for rel in result.deleted:
            print(f"removed {rel}")
    if not args.quiet:
        _report(result.diagnostics, err)
        for note in result.notes:
            print(note, file=err)
        if not config.base_url:
            print("note: no base_url, so no feed.xml, sitemap.xml, canonical links or Open Graph "
                  "addresses; set base_url in config.yaml or build with --base-url URL", file=err)
    seconds = time.perf_counter() - started
    if not args.quiet:
        warnings = len(result.diagnostics.counted)
        drafts = (f" ({result.drafts} draft(s) left out: --drafts builds them)"
                  if result.drafts else "")
        from .uptodate import LastBuild

        if isinstance(result, LastBuild):  # the last build's answer: nothing to do
            print(f"{config.output_dir} is up to date: {result.pages} page(s), {result.files} "
                  f"file(s), nothing changed since the last build{drafts}; {warnings} warning(s) "
                  f"in {seconds:.2f}s")
            return 0
        print(f"built {result.pages} page(s) into {config.output_dir}{drafts}: "
              f"{len(result.written)} file(s) written, "
              f"{result.files - len(result.written)} unchanged, {len(result.deleted)} removed, "
              f"{warnings} warning(s) in {seconds:.2f}s")
    return 0
