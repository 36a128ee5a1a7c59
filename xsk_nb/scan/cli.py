"""``xsk-nb scan [PATH ...]``: the scanner on the command line (agreement A5: registered by
:func:`add_subparser`; imports the scanner only when the command runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_FOUND = 1
EXIT_USAGE = 2

DESCRIPTION = """\
Find secret keys in notebooks and key files: JWKs with secret members, JWK Sets, JWS/JWT
tokens, secrets assigned to names, and key-sized base64url strings, in every cell, output,
attachment, metadata and saved widget state. Folders are read recursively (.ipynb, .env,
.json, .jwk, .jwks, .py, .xs, .md, .txt), honouring .gitignore inside a git work tree. No
secret is ever printed: each finding is its file, place, kind and masked label."""

EPILOG = """\
accepting a finding on purpose:
  a comment "xsk-nb: allow (why)" on the line, or anywhere in a notebook cell's source (the
  whole cell, its outputs included); or a baseline file: --write-baseline FILE writes one
  accepting every current leak (write each reason in it), and .xsk-nb-scan-baseline.json in
  the current folder is read by default.
outputs revealed on purpose (the kit marks them) and published example keys are listed
apart and do not fail the scan.

examples:
  xsk-nb scan                          this folder, recursively
  xsk-nb scan notebooks/ .env          two places
  xsk-nb scan --sarif . > scan.sarif   for a code-scanning upload

exit status: 0 no leak found, 1 a leak found, 2 bad arguments or an unusable baseline.
"""


def add_subparser(subparsers: Any) -> None:
    """Register ``scan`` and its handler on the ``xsk-nb`` sub-command parsers."""
    parser = subparsers.add_parser(
        "scan",
        help="find secret keys in notebooks and key files; e.g. xsk-nb scan notebooks/",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", default=["."],
                        help="files or folders to scan (default: the current folder); "
                        "e.g. notebooks/ .env")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", dest="scan_json", action="store_true",
                      help="print the findings as JSON; e.g. xsk-nb scan --json .")
    form.add_argument("--sarif", dest="scan_sarif", action="store_true",
                      help="print a SARIF 2.1.0 log for code-scanning uploads; "
                      "e.g. --sarif . > scan.sarif")
    parser.add_argument("--baseline", metavar="FILE",
                        help="accept the findings listed in this baseline file (default: "
                        ".xsk-nb-scan-baseline.json in the current folder, if any); e.g. "
                        "--baseline ci/accepted.json")
    parser.add_argument("--write-baseline", metavar="FILE",
                        help="write a baseline accepting every leak found now, then exit 0; "
                        "e.g. --write-baseline .xsk-nb-scan-baseline.json")
    parser.add_argument("--no-gitignore", action="store_true",
                        help="read files that .gitignore excludes too; e.g. --no-gitignore .")
    parser.set_defaults(handler=run)


def _usage(message: str) -> SystemExit:
    print(f"xsk-nb scan: error: {message}", file=sys.stderr)
    return SystemExit(EXIT_USAGE)


def run(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[str, str] | tuple[str, str, int]:
    """The handler: the report, with exit status 1 when a leak was found (0 when none)."""
    import json

    from xsk_nb import __version__
    from xsk_nb.scan import baseline as baseline_file
    from xsk_nb.scan import output
    from xsk_nb.scan.scanner import scan

    missing = [path for path in args.paths if not Path(path).exists()]
    if missing:
        raise _usage(f"no such file or folder: {missing[0]}")
    if args.baseline is not None and not Path(args.baseline).is_file():
        raise _usage(f"the baseline {args.baseline} does not exist; create one with "
                     "--write-baseline FILE")
    try:
        result = scan(args.paths, baseline=args.baseline, gitignore=not args.no_gitignore)
    except baseline_file.BaselineError as error:
        raise _usage(str(error)) from None
    for problem in result.problems:
        print(f"xsk-nb scan: {problem}", file=sys.stderr)
    if args.write_baseline:
        target = Path(args.write_baseline)
        try:
            target.write_text(baseline_file.render(result.leaks, target), encoding="utf-8")
        except OSError as error:
            raise _usage(f"cannot write the baseline {target}: {error.strerror}") from None
        written = (f"Wrote {target}: {len(result.leaks)} accepted finding(s); write the reason "
                   "for each in it.\n")
        return written, f"the baseline {target} was written"
    if args.scan_sarif:
        text = json.dumps(output.to_sarif(result, __version__), indent=2) + "\n"
    elif args.scan_json:
        text = output.to_json(result)
    else:
        text = output.to_text(result)
    if not result.leaks:
        return text, ""
    return text, "", EXIT_FOUND
