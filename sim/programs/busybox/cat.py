"""``cat [-nbvteA] [FILE]...``: ``-`` or no file is stdin."""

from ...errors import SimError
from . import util


def _show_nonprinting(line: bytes, ends: bool, tabs: bool) -> bytes:
    out = bytearray()
    for b in line:
        if b == 0x0A:
            if ends:
                out += b"$"
            out.append(b)
        elif b == 0x09 and not tabs:
            out.append(b)
        elif b >= 0x80:
            out += b"M-"
            b -= 0x80
            out += bytes([b]) if 32 <= b < 127 else (b"^?" if b == 127 else b"^" + bytes([b + 64]))
        elif b < 32:
            out += b"^" + bytes([b + 64])
        elif b == 127:
            out += b"^?"
        else:
            out.append(b)
    return bytes(out)


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "nbvteAu", longopts={"number": "n", "show-all": "A",
                                                         "number-nonblank": "b"})
    number = "n" in opts or "b" in opts
    nonblank = "b" in opts
    visible = any(k in opts for k in "vteA")
    ends = "e" in opts or "A" in opts
    tabs = "t" in opts or "A" in opts
    status = 0
    lineno = 0
    at_line_start = True
    for name in files or ["-"]:
        fd = 0
        if name != "-":
            try:
                fd = proc.open(name)
            except SimError as e:
                status = 1
                if gnu:
                    await util.warn(proc, argv, f"{name}: {util.errtext(e)}")
                else:
                    await util.warn(proc, argv, f"can't open '{name}': {util.errtext(e)}")
                continue
        try:
            while True:
                try:
                    chunk = await proc.read(fd)
                except SimError as e:
                    status = 1
                    if gnu:
                        await util.warn(proc, argv, f"{name}: {util.errtext(e)}")
                    else:
                        await util.warn(proc, argv, f"read error: {util.errtext(e)}")
                    break
                if not chunk:
                    break
                if number or visible:
                    out = bytearray()
                    for line in util.split_lines(chunk):
                        if number and at_line_start and not (nonblank and line == b"\n"):
                            lineno += 1
                            out += b"%6d\t" % lineno
                        out += _show_nonprinting(line, ends, tabs) if visible else line
                        at_line_start = line.endswith(b"\n")
                    chunk = bytes(out)
                await proc.write(1, chunk)
        finally:
            if fd != 0:
                proc.close(fd)
    return status
