"""xsk_nb._ipython: the IPython plumbing both magic classes share."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError
from shell import loaded_shell

from xsk_nb._ipython import parse_magic_line, remove_magics
from xsk_nb.magic import XsMagics


@pytest.mark.parametrize("line", ['--kid "my id', "--kid 'x"])
def test_a_line_shlex_cannot_split_is_one_usage_error(line: str) -> None:
    shell = loaded_shell()
    magic = shell.find_line_magic("xs_secret_key")
    with pytest.raises(UsageError) as error:
        parse_magic_line(magic, line)
    assert str(error.value).startswith("the line has an unclosed quote or a trailing backslash")


def test_a_line_that_splits_is_parsed_as_the_magic_declares() -> None:
    shell = loaded_shell()
    args = parse_magic_line(shell.find_line_magic("xs_secret_key"), '--bits 512 --kid "my id"')
    assert args.bits == "512"
    # IPython's parse_argstring splits like shlex but keeps the quotes (posix=False).
    assert args.kid == '"my id"'


def test_remove_magics_removes_every_magic_of_the_class_and_is_idempotent() -> None:
    shell = loaded_shell()
    assert shell.find_line_magic("xs_secret_key") is not None
    remove_magics(shell, XsMagics)
    assert shell.find_line_magic("xs_secret_key") is None
    assert "XsMagics" not in shell.magics_manager.registry
    remove_magics(shell, XsMagics)  # nothing registered: nothing happens
    shell.register_magics(XsMagics)
