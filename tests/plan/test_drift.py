"""Create-only values fed from another resource's outputs (the activation key) may change or clear after the
link is up; `pulumi up` must then plan no replacement of the protected interconnect: the diff ignores them as the
engine does (`ignore_changes`), while a change of the spec still shows."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from xcloud_iac.plan import mocks
from xcloud_iac.plan.diff import diff_inventories
from xcloud_iac.plan.inventory import Inventory, plan_stack
from xcloud_iac.spec import load_text

from .support import stack_text


def planned(text: str, generated_key: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None):
    if generated_key is not None and monkeypatch is not None:
        computed = mocks._computed

        def drifted(token, name, resource_id, inputs):
            out = computed(token, name, resource_id, inputs)
            if token == "gcp:networkconnectivity/transport:Transport":
                out["generatedActivationKey"] = generated_key
            return out

        monkeypatch.setattr(mocks, "_computed", drifted)
    return plan_stack(load_text(text, "dr-pair.yaml"))


@pytest.mark.parametrize("key", ["a-key-issued-later", ""], ids=["changed", "cleared"])
def test_drifted_generated_key_replaces_nothing(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    base = planned(stack_text("dr-pair"))
    head = planned(stack_text("dr-pair"), key, monkeypatch)
    connection = next(r for r in head.resources if r.type == "aws-native:interconnect:Connection")
    assert connection.ignore_changes == ("activationKey",)
    changes, _unchanged = diff_inventories(base, head)
    assert changes == []


def test_a_changed_replacement_trigger_replaces_though_its_input_is_ignored() -> None:
    """remoteProfile changes are ignored (the API echoes it in its own form), but the profile the spec gives is
    the transport's replacement trigger: a new profile replaces the transport."""
    head = planned(stack_text("dr-pair"))
    transport = next(r for r in head.resources if r.type == "gcp:networkconnectivity/transport:Transport")
    assert json.loads(transport.replacement_trigger) == transport.inputs["remoteProfile"]
    assert "remoteProfile" in transport.ignore_changes

    profile = "projects/example-dr-project/locations/us-west2/remoteTransportProfiles/aws-us-west-1"
    moved = replace(transport, inputs={**transport.inputs, "remoteProfile": profile},
                    replacement_trigger=json.dumps(profile))
    base = Inventory(head.stack, [transport])
    changes, _unchanged = diff_inventories(base, Inventory(head.stack, [moved]))
    [change] = changes
    assert change.action == "replace" and "its replacement trigger changed" in change.notes
    assert all(i.name != "remoteProfile" for i in change.inputs)  # the ignored input itself shows no change
