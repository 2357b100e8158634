from __future__ import annotations

from ..finding import Severity
from ..registry import register
from . import LiveRule


@register
class LiveStateUnread(LiveRule):
    """Part of the live state of AWS or Google Cloud could not be read (no credentials, access denied, throttled or
    server errors after retries, a region or endpoint that does not answer, a Google project not known). The checks that needed it were skipped, so the report is partial:
    `xcloud verify` exits with status 3."""

    id = "XC700"
    title = "Live state could not be read"
    severity = Severity.error
    fix_hint = (
        "Fix what the message names (credentials, an IAM permission, network access to the endpoint) and run "
        "xcloud verify again."
    )

    def check_live(self, topo, live):
        for unread in live.unread:
            where = f" in {unread.region}" if unread.region else ""
            yield self.finding(
                topo, unread.obj, f"could not read {unread.what}{where}: {unread.reason}; its checks were skipped"
            )
