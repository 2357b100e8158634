"""Entry point of the xcloud-iac policy pack: `pulumi preview --policy-pack policy/` runs this file in the pack's
virtualenv (PulumiPolicy.yaml). PolicyPack serves the policies to the engine until the engine is done."""

from pulumi_policy import EnforcementLevel, PolicyPack
from xcloud_policies.pack import PACK_NAME, policies

PolicyPack(name=PACK_NAME, policies=policies(), enforcement_level=EnforcementLevel.MANDATORY)
