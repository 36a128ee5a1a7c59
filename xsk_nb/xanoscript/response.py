"""What a cell returns: the response, shown masked in every display form.

:class:`Response` is safe to leave in ``Out[]``: ``repr``, text/plain and text/html show key
material as :func:`xsk_nb.masking.masked` placeholders; ``.masked`` is the same response as
JSON-ready data. There is deliberately no application/json form: JupyterLab would prefer its
JSON tree to the report and hide the title, the warnings and the notes.
``.raw`` is the response itself; ``.reveal()`` gives a display of it unmasked, with a warning.
"""

from __future__ import annotations

import html
import json
from typing import Any

from xsk_nb import masking
from xsk_nb.xanoscript.redaction import UNSHOWABLE, SecretBook, cut

REVEAL_WARNING = "⚠ Revealed: " + masking.REVEAL_WARNING_NOTEBOOK
SEED_ADVICE = (
    "note: this response holds key material. Xano's function reference advises never to "
    "expose secret keys in responses, yet its examples do; the kit shows them masked."
)


#: Why a response cannot be pickled (issue 24, leak 5: `%store` of one wrote the key into
#: IPython's profile folder); the report's KeyReport refuses the same way.
NOT_PICKLABLE = (
    "a XanoScript response may hold key material and is not picklable (so %store and pickle "
    "refuse it); store response.masked, or response.raw if you mean to keep the key"
)


def sendable(text: str) -> str:
    """``text`` as it can be sent to a browser: a lone surrogate (``"\\ud800"``, which JSON
    text may hold but UTF-8 cannot) is written as its ``\\ud800`` escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _json(value: Any) -> str:
    """``value`` (already masked and cut to a showable size) as indented JSON text."""
    try:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):  # circular, or not JSON at all
        text = json.dumps(UNSHOWABLE, ensure_ascii=False)
    return sendable(text)


class Response:
    """The response of one run of a cell, masked wherever it is displayed.

    Slots, not an instance ``__dict__``: ``vars(response)`` cannot show the raw response.
    """

    __slots__ = ("_raw", "_secrets", "holds_secrets", "masked", "name", "notes", "verb", "warnings")

    def __init__(
        self,
        raw: Any,
        secrets: SecretBook,
        *,
        name: str | None = None,
        verb: str | None = None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        self._raw = raw
        self._secrets = secrets
        self.name = name
        self.verb = verb
        self.masked = secrets.mask(raw)
        self.holds_secrets = secrets.covers(raw)
        self.warnings = warnings
        self.notes = (SEED_ADVICE,) if self.holds_secrets else ()

    @property
    def raw(self) -> Any:
        """The response as the cell computed it, key material included."""
        return self._raw

    def reveal(self) -> RevealedResponse:
        """A display of the unmasked response, with a warning that it is saved in the notebook."""
        return RevealedResponse(self._raw, self.title)

    @property
    def title(self) -> str:
        if self.name is None:
            return "XanoScript response"
        if self.verb is None:
            return sendable(f'XanoScript response of function "{self.name}"')
        return sendable(f'XanoScript response of query "{self.name}" (verb={self.verb})')

    def __reduce__(self) -> Any:
        raise TypeError(NOT_PICKLABLE)

    def _lines(self) -> list[str]:
        lines = [*(f"warning: {w}" for w in self.warnings), *self.notes]
        return [sendable(line) for line in lines]

    def __repr__(self) -> str:
        masked_note = " — key material masked" if self.holds_secrets else ""
        return "\n".join([f"{self.title}{masked_note}:", _json(self.masked), *self._lines()])

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self._lines())
        masked_note = " <small>(key material masked)</small>" if self.holds_secrets else ""
        return (
            f'<div class="xsk-xs-response"><strong>{html.escape(self.title)}</strong>'
            f"{masked_note}<pre>{html.escape(_json(self.masked))}</pre>"
            f"{f'<ul>{items}</ul>' if items else ''}</div>"
        )


class RevealedResponse:
    """The unmasked response, always shown under :data:`REVEAL_WARNING`."""

    def __reduce__(self) -> Any:
        raise TypeError(NOT_PICKLABLE)

    def __init__(self, raw: Any, title: str) -> None:
        self.raw = raw
        self.title = title

    def __repr__(self) -> str:
        return f"{REVEAL_WARNING}\n{self.title} (revealed):\n{_json(cut(self.raw))}"

    def _repr_html_(self) -> str:
        return (
            '<div class="xsk-xs-revealed"><p style="color:#a00;font-weight:bold">'
            f"{html.escape(REVEAL_WARNING)}</p><strong>{html.escape(self.title)} (revealed)"
            f"</strong><pre>{html.escape(_json(cut(self.raw)))}</pre></div>"
        )


class TableView:
    """Rows of the notebook database, masked like a response (``%xs_db``)."""

    def __reduce__(self) -> Any:
        raise TypeError(NOT_PICKLABLE)

    def __init__(self, title: str, rows: list[dict[str, Any]], secrets: SecretBook) -> None:
        self.title = sendable(secrets.scrub(title))
        self.rows = [secrets.mask(row) for row in rows]

    def __repr__(self) -> str:
        if not self.rows:
            return f"{self.title}: no rows"
        columns = list(self.rows[0])
        lines = [" | ".join(columns)]
        lines += [" | ".join(_cell(row.get(c)) for c in columns) for row in self.rows]
        return f"{self.title}:\n" + "\n".join(lines)

    def _repr_html_(self) -> str:
        if not self.rows:
            return f"<p>{html.escape(self.title)}: no rows</p>"
        columns = list(self.rows[0])
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns)
            + "</tr>"
            for row in self.rows
        )
        return (
            f"<div><strong>{html.escape(self.title)}</strong><table><thead><tr>{head}"
            f"</tr></thead><tbody>{body}</tbody></table></div>"
        )


def _cell(value: Any) -> str:
    return sendable("null" if value is None else str(value))
