"""The finding type lives on the ground floor (xcloud_iac.finding); this name stays for the rules that import it."""

from ..finding import Finding, Related, Severity

__all__ = ["Finding", "Related", "Severity"]
