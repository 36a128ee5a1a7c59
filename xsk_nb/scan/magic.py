"""``%xs_scan [PATH ...]``: the scanner in a notebook (and in the browser-only site, where no
server runs a save guard: it scans the files of the kernel's working folder, the drive,
dotfiles such as a ``.env`` left by Save included)."""

from __future__ import annotations

from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from xsk_nb._ipython import parse_magic_line


@magics_class
class ScanMagics(Magics):
    @magic_arguments()
    @argument("paths", nargs="*", metavar="PATH",
              help="files or folders to scan (default: the current folder, recursively)")
    @argument("--json", action="store_true", help="print the findings as JSON")
    @argument("--no-gitignore", action="store_true", help="read git-ignored files too")
    @line_magic
    def xs_scan(self, line: str) -> None:
        """Find secret keys in notebooks and key files; print each finding masked.

        Examples::

            %xs_scan                 # this folder: notebooks, .env, *.json, *.jwk, *.py ...
            %xs_scan practice.ipynb  # one notebook
            %xs_scan --json .

        Outputs revealed on purpose and published example keys are listed apart. Accept a
        finding on purpose with a comment ``# xsk-nb: allow (why)`` in the cell, or a
        baseline file (``xsk-nb scan --write-baseline``).
        """
        from xsk_nb.scan import output
        from xsk_nb.scan.baseline import BaselineError
        from xsk_nb.scan.scanner import scan

        args = parse_magic_line(self.xs_scan, line)
        paths = args.paths or ["."]
        missing = [path for path in paths if not Path(path).exists()]
        if missing:
            raise UsageError(f"no such file or folder: {missing[0]}; give a file or folder "
                             "path, e.g. %xs_scan . or %xs_scan lesson.ipynb")
        try:
            result = scan(paths, gitignore=not args.no_gitignore)
        except BaselineError as error:
            raise UsageError(str(error)) from None
        for problem in result.problems:
            print(f"xsk-nb scan: {problem}")
        print(output.to_json(result) if args.json else output.to_text(result), end="")
