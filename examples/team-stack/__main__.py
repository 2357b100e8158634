"""The orders team's stack: an AWS role its GKE workload assumes, and Google access for an AWS role, built from
single xcloud-iac components. Everything platform-owned comes from the platform stack's outputs (docs/outputs.md)
through a StackReference, so each value arrives as a pulumi.Output:

- the OIDC issuer URL and the IAM OIDC provider ARN (AWS allows one provider per issuer URL in an account, so the
  role reuses the platform's instead of creating a second one);
- the Workload Identity pool provider's resource name, exported for the workload's credential configuration.

    pulumi config set platformStack <org>/xcloud-iac/<platform stack>
    pulumi up
"""

import pulumi

from xcloud_iac import OidcTrustRole, OidcTrustRoleArgs

config = pulumi.Config()
platform = pulumi.StackReference(config.require("platformStack"))
issuer = config.get("issuer") or "gke-dr"

reader = OidcTrustRole(
    "orders-exports-reader",
    OidcTrustRoleArgs(
        issuer_url=platform.require_output("oidcIssuerUrls")[issuer],
        provider_arn=platform.require_output("oidcProviderArns")[issuer],
        audience="sts.amazonaws.com",
        subjects=["system:serviceaccount:orders:exports-reader"],
        permissions=[{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::example-orders-exports/daily/*"]}],
        max_session_seconds=3600,
    ),
    # the team's own policy: its role is protected like the platform's critical resources
    pulumi.ResourceOptions(protect=True),
)

pulumi.export("roleArn", reader.role_arn)
pulumi.export("trustPolicy", reader.trust_policy)
pulumi.export("workloadIdentityProvider", platform.require_output("workloadIdentityProviders")["aws-to-gcp"])
