"""UTS namespaces: the hostname (and NIS domain name) a process sees
(uts_namespaces(7))."""

import attrs


@attrs.define(eq=False)
class UtsNamespace:
    hostname: str = "localhost"
    domainname: str = "(none)"

    def clone(self) -> "UtsNamespace":
        return UtsNamespace(self.hostname, self.domainname)
