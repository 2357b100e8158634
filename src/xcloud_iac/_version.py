"""The version of xcloud-iac, on the ground floor (renderers name it in SARIF, the CLI prints it)."""

__version__ = "0.1.0"
