"""Progress events of pull (and later push and build), and the progress bar
dockerd pre-renders into each message.

`Progress` mirrors moby's ``progress.Progress``: a per-item update
(``Pulling fs layer``, ``Downloading`` with current/total, …) carries a
``progressDetail`` object in the JSON stream, while a plain message
(``Pulling from library/busybox``, ``Digest: …``, ``Status: …``) has
none.  The CLI relies on that difference: only messages with
``progressDetail`` are redrawn in place on a TTY.
"""

import attrs

_DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")

#: The width dockerd renders the bar for (``JSONProgress.width()`` with no
#: terminal): wide enough that the bar is always drawn.
SERVER_WIDTH = 200


def human_size(size: float) -> str:
    """go-units ``HumanSize``: decimal units, 4 significant digits
    (``1.024kB``, ``4.28MB``, ``512B``)."""
    i = 0
    while size >= 1000.0 and i < len(_DECIMAL_UNITS) - 1:
        size /= 1000.0
        i += 1
    return "%.4g%s" % (size, _DECIMAL_UNITS[i])


def render_bar(current: "int | None", total: "int | None", width: int = SERVER_WIDTH) -> str:
    """``JSONProgress.String()``: ``[=====>        ]  1.024kB/2.155kB``.
    The bar is 50 cells, drawn only when ``width > 110``; the numbers are
    right-aligned in 8 columns.  Empty when nothing is known."""
    current = current or 0
    total = total or 0
    if current <= 0 and total <= 0:
        return ""
    if total <= 0:
        return "%8s" % human_size(current)
    percentage = min(int(current / total * 100) // 2, 50)
    bar = ""
    if width > 110:
        bar = "[%s>%s] " % ("=" * percentage, " " * max(50 - percentage, 0))
    if current > total:
        numbers = "%8s" % human_size(current)
    else:
        numbers = "%8s/%s" % (human_size(current), human_size(total))
    return bar + numbers


@attrs.frozen
class Progress:
    """One event of a progress stream.

    ``id``: the item (12-hex layer id, or the tag for "Pulling from"), or
    None.  ``detail``: whether the JSON message carries ``progressDetail``
    (True for per-layer updates, False for plain messages; see
    `Progress.message`).  ``current``/``total``: bytes, for Downloading,
    Extracting, Pushing.
    """

    id: "str | None"
    status: str
    current: "int | None" = None
    total: "int | None" = None
    detail: bool = True
    #: machine data for the client (push: ``{"Tag", "Digest", "Size"}``)
    aux: "dict | None" = attrs.field(default=None, eq=False)

    @classmethod
    def message(cls, status: str, id: "str | None" = None) -> "Progress":
        """A plain message (no ``progressDetail``)."""
        return cls(id, status, detail=False)

    @classmethod
    def auxiliary(cls, aux: dict) -> "Progress":
        """moby's ``progress.Aux``: ``{"progressDetail":{},"aux":{…}}``,
        which the CLI hands to a callback instead of printing."""
        return cls(None, "", aux=dict(aux))

    @property
    def bar(self) -> str:
        """The pre-rendered ``progress`` string ("" when there is none)."""
        return render_bar(self.current, self.total)

    def to_json(self) -> dict:
        """The JSON message dockerd writes, keys in its order:
        ``status``, ``progressDetail``, ``progress``, ``id``, ``aux`` (an
        empty status is left out, as Go's ``omitempty`` does)."""
        out: dict = {"status": self.status} if self.status else {}
        if self.detail:
            detail = {}
            if self.current is not None:
                detail["current"] = self.current
            if self.total is not None:
                detail["total"] = self.total
            out["progressDetail"] = detail
            bar = self.bar
            if bar:
                out["progress"] = bar
        if self.id:
            out["id"] = self.id
        if self.aux is not None:
            out["aux"] = dict(self.aux)
        return out

    def __str__(self) -> str:
        """How the CLI prints it without a TTY: ``<id>: <status>``."""
        return f"{self.id}: {self.status}" if self.id else self.status
