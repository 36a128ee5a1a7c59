"""The Xano CLI's profiles, read as the CLI reads them, and the Metadata API token.

Facts from xano-inc/cli at ``0399582`` (``src/base-command.ts``): the file is
``~/.xano/credentials.yaml``, or the path in ``XANO_CONFIG`` / ``-c``; it holds
``{default: NAME, profiles: {NAME: {access_token, instance_origin, workspace, branch, ...}}}``;
the profile is the one named by ``-p`` / ``XANO_PROFILE``, else ``default``'s value, else the
profile called ``default``. (The CLI also reads a project-local ``profile.yaml``; this kit
does not: give ``--profile`` or ``--workspace`` instead.) A profile's ``insecure: true``, which
turns certificate checks off in Xano's CLI, is ignored: the kit always verifies TLS.

The token is taken from ``XANO_TOKEN`` first, then from the profile; the notebook and a
terminal may ask for it with ``getpass``. It is held in memory for the requests only, never
written, printed or put in a message (a YAML error's text, which quotes the file, is not
shown either: only its line number).

PyYAML reads the file (the ``xano`` extra: ``pip install 'xsk-nb[xano]'``), since the
standard library has no YAML reader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_ENVIRONMENT_VARIABLE = "XANO_CONFIG"
PROFILE_ENVIRONMENT_VARIABLE = "XANO_PROFILE"
TOKEN_ENVIRONMENT_VARIABLE = "XANO_TOKEN"
DEFAULT_PROFILE = "default"
#: A credentials file larger than this is refused (a few profiles take a few KiB).
MAX_BYTES = 1 << 20
CREATE_HINT = (
    "create one with Xano's CLI (xano profile create), point XANO_CONFIG or --config at one, "
    "or give --instance (and --workspace for a tenant) with the token in XANO_TOKEN"
)


@dataclass(frozen=True)
class Profile:
    """What the kit uses of a Xano CLI profile; the token never shows in ``repr``."""

    name: str
    instance_origin: str
    workspace: str | None = None
    branch: str | None = None
    access_token: str | None = field(default=None, repr=False)


def credentials_path(config: str | os.PathLike[str] | None = None) -> Path:
    """``config``, else ``$XANO_CONFIG``, else ``~/.xano/credentials.yaml`` (as Xano's CLI)."""
    explicit = config or os.environ.get(CONFIG_ENVIRONMENT_VARIABLE)
    if explicit:
        return Path(explicit).expanduser().resolve()
    return Path.home() / ".xano" / "credentials.yaml"


def load_profile(
    name: str | None = None, config: str | os.PathLike[str] | None = None
) -> Profile:
    """The named profile (or ``XANO_PROFILE``, or the default) of the credentials file.

    One ``ValueError`` sentence for a missing file, a missing PyYAML, a file that is not
    YAML or has no ``profiles`` mapping, a profile it lacks, or a profile without
    ``instance_origin``.
    """
    path = credentials_path(config)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ValueError(f"no Xano CLI profile: {path} does not exist; {CREATE_HINT}") from None
    except OSError as error:
        from xsk_nb.private_file import os_error_sentence

        raise ValueError(
            f"could not read the Xano CLI profiles in {path}: {os_error_sentence(error)}"
        ) from None
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{path} is larger than a Xano CLI credentials file can be (1 MiB)")
    data = _parse_yaml(raw, path)
    if not isinstance(data, dict):
        data = {}
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        raise ValueError(f"{path} holds no 'profiles:' mapping, as Xano's CLI writes it")
    chosen = name or os.environ.get(PROFILE_ENVIRONMENT_VARIABLE) or None
    if chosen is None:
        default = data.get("default")
        chosen = default if isinstance(default, str) and default else DEFAULT_PROFILE
    entry = profiles.get(chosen)
    if not isinstance(entry, dict):
        available = ", ".join(sorted(str(key) for key in profiles)) or "none"
        raise ValueError(
            f"the Xano CLI profile {chosen!r} is not in {path}; it has: {available} "
            "(choose one with --profile or XANO_PROFILE)"
        )
    origin = entry.get("instance_origin")
    if not isinstance(origin, str) or not origin:
        raise ValueError(f"the Xano CLI profile {chosen!r} in {path} has no instance_origin")
    token = entry.get("access_token")
    workspace = entry.get("workspace")
    branch = entry.get("branch")
    return Profile(
        name=chosen,
        instance_origin=origin,
        workspace=None if workspace is None else str(workspace),
        branch=None if branch is None else str(branch),
        access_token=token if isinstance(token, str) and token else None,
    )


def _parse_yaml(raw: bytes, path: Path) -> object:
    try:
        import yaml
    except ImportError:
        raise ValueError(
            "reading the Xano CLI profile needs PyYAML: pip install 'xsk-nb[xano]' (or give "
            "--instance, with the token in XANO_TOKEN)"
        ) from None
    failure = None
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as error:  # its text quotes the file, which holds the token
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        failure = f"{path} is not valid YAML{where}; Xano's CLI writes it as YAML"
    raise ValueError(failure)


def token_from_environment(profile: Profile | None) -> str | None:
    """``XANO_TOKEN`` if set, else the profile's ``access_token``, else ``None``."""
    token = os.environ.get(TOKEN_ENVIRONMENT_VARIABLE)
    if token:
        return token.strip()
    return profile.access_token if profile is not None else None
