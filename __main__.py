"""The Pulumi program (`pulumi up`): deploy the stack file named by the `xcloud:spec` config.

    pulumi config set xcloud:spec stacks/dr-pair.yaml
    pulumi up

deploy() checks the stack first and registers nothing if there is an error finding.
"""

import pulumi

from xcloud_iac.program import deploy

deploy(pulumi.Config("xcloud").require("spec"))
