"""The xcloud-iac component provider: hosts the components of xcloud_iac.component_provider for programs in
TypeScript, Go, C#, Java and YAML (see PulumiPlugin.yaml)."""

from importlib.metadata import version

from pulumi.provider.experimental import component_provider_host

from xcloud_iac.component_provider import COMPONENTS, PACKAGE

if __name__ == "__main__":
    component_provider_host(COMPONENTS, PACKAGE, version=version("xcloud-iac"))
