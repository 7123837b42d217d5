"""The applet table: name -> ``async main(proc, argv, gnu=False)``."""

import importlib

# applet name -> (module, function)
_SPEC = {
    "[": ("test", "bracket_main"),
    "[[": ("test", "bracket_main"),
    "ash": ("sh", "main"),
    "basename": ("basename", "main"),
    "cat": ("cat", "main"),
    "chmod": ("chmod", "main"),
    "chown": ("chown", "main"),
    "clear": ("clear", "main"),
    "cp": ("cp", "main"),
    "cut": ("cut", "main"),
    "date": ("date", "main"),
    "df": ("df", "main"),
    "dirname": ("dirname", "main"),
    "du": ("du", "main"),
    "echo": ("echo", "main"),
    "env": ("env", "main"),
    "false": ("false", "main"),
    "find": ("find", "main"),
    "free": ("free", "main"),
    "grep": ("grep", "main"),
    "egrep": ("grep", "egrep_main"),
    "fgrep": ("grep", "fgrep_main"),
    "head": ("head", "main"),
    "httpd": ("httpd", "main"),
    "ifconfig": ("ifconfig", "main"),
    "ip": ("ip", "main"),
    "hostname": ("hostname", "main"),
    "id": ("id", "main"),
    "kill": ("kill", "main"),
    "ln": ("ln", "main"),
    "ls": ("ls", "main"),
    "mkdir": ("mkdir", "main"),
    "mktemp": ("mktemp", "main"),
    "mv": ("mv", "main"),
    "nc": ("nc", "main"),
    "netstat": ("netstat", "main"),
    "nslookup": ("nslookup", "main"),
    "nproc": ("nproc", "main"),
    "ping": ("ping", "main"),
    "printenv": ("env", "printenv_main"),
    "printf": ("printf", "main"),
    "ps": ("ps", "main"),
    "pwd": ("pwd", "main"),
    "readlink": ("readlink", "main"),
    "realpath": ("realpath", "main"),
    "reset": ("clear", "reset_main"),
    "rm": ("rm", "main"),
    "rmdir": ("rmdir", "main"),
    "sed": ("sed", "main"),
    "seq": ("seq", "main"),
    "sh": ("sh", "main"),
    "sleep": ("sleep", "main"),
    "sort": ("sort", "main"),
    "stat": ("stat", "main"),
    "stty": ("stty", "main"),
    "tail": ("tail", "main"),
    "tee": ("tee", "main"),
    "test": ("test", "main"),
    "top": ("top", "main"),
    "touch": ("touch", "main"),
    "tr": ("tr", "main"),
    "true": ("true", "main"),
    "tty": ("stty", "tty_main"),
    "uname": ("uname", "main"),
    "uniq": ("uniq", "main"),
    "wc": ("wc", "main"),
    "wget": ("wget", "main"),
    "which": ("which", "main"),
    "whoami": ("whoami", "main"),
    "xargs": ("xargs", "main"),
    "yes": ("yes", "main"),
}


def _load():
    table = {}
    for name, (module, func) in _SPEC.items():
        try:
            mod = importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{module}":
                continue  # applet not written yet
            raise
        table[name] = getattr(mod, func)
    return table


#: applet name -> main(proc, argv, gnu=False)
APPLETS = _load()
