from __future__ import annotations

from ...spec import models as m
from ..finding import Severity
from ..registry import register
from . import LiveRule
from .state import LiveHub, LiveRouteTable


@register
class AttachmentDrift(LiveRule):
    """A Transit Gateway attachment is associated with another route table than the spec's (or with none), or
    propagates into tables the spec does not list (or not into those it does); or an attachment the spec does not
    declare is associated with or propagates into one of its tables. Traffic then follows other routes, or other
    networks' routes reach the table."""

    id = "XC705"
    title = "Association or propagation differs from the spec"
    severity = Severity.error
    fix_hint = "Re-apply the stack (pulumi up), or remove the association / propagation made outside it."

    def check_live(self, topo, live):
        for hub in topo.spec.hubs:
            live_hub = live.hubs.get(hub.name)
            if not isinstance(hub, m.TransitGateway) or live_hub is None:
                continue
            # only tables whose associations and propagations were read can be compared
            read = [t for t in live_hub.tables.values() if t.associations is not None and t.propagations is not None]
            for att in hub.attachments:
                live_att = live_hub.attachment(att.name)
                if live_att is not None:
                    yield from self._declared(topo, hub, live_hub, read, att, live_att.id)
            for table in read:
                if table.name is None:
                    continue
                for att_id in sorted((table.associations or set()) | (table.propagations or set())):
                    if live_hub.attachments.get(att_id) is None or live_hub.attachments[att_id].name is None:
                        how = " and ".join(
                            verb for verb, ids in (("is associated with", table.associations),
                                                   ("propagates into", table.propagations)) if att_id in ids
                        )
                        spec_table = next(t for t in hub.route_tables if t.name == table.name)
                        yield self.finding(
                            topo, spec_table, f"attachment {live_hub.attachment_label(att_id)}, which the spec does "
                            f"not declare, {how} route table '{table.name}' of hub '{hub.name}' ({table.id})",
                        )

    def _declared(self, topo, hub: m.TransitGateway, live_hub: LiveHub, read: list[LiveRouteTable],
                  att: m.TgwAttachment, att_id: str):
        who = f"attachment '{att.name}' of hub '{hub.name}' ({att_id})"
        read_names = {t.name for t in read}  # a table not found or not read says nothing here (XC701 / XC700)
        associated = [t for t in read if att_id in (t.associations or ())]
        names = [t.name for t in associated]
        comparable = att.route_table is None or att.route_table in read_names
        if comparable and names != ([att.route_table] if att.route_table else []):
            now = ", ".join(live_hub.table_label(t) for t in associated) or "no route table"
            spec = f"'{att.route_table}'" if att.route_table else "none"
            yield self.finding(topo, att, f"{who} is associated with {now}; the spec associates it with {spec}",
                               field=("route_table",))
        propagating = [t for t in read if att_id in (t.propagations or ())]
        missing = sorted((set(att.propagate_to) & read_names) - {t.name for t in propagating})
        extra = [t for t in propagating if t.name not in att.propagate_to]
        if missing:
            tables = ", ".join(f"'{n}'" for n in missing)
            yield self.finding(topo, att, f"{who} does not propagate into route table {tables}, as the spec says",
                               field=("propagate_to",))
        if extra:
            tables = ", ".join(live_hub.table_label(t) for t in extra)
            yield self.finding(topo, att, f"{who} propagates into route table {tables}, which the spec does not list",
                               field=("propagate_to",))
