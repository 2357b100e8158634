"""Conflict checks: a registry of rules XC101..XC605, one module each, run over the topology."""

from .engine import BLOCKING_RULES, Report, check, check_many
from .finding import Finding, Related, Severity
from .registry import Rule, all_rules, register, rule_classes

__all__ = ["BLOCKING_RULES", "Finding", "Related", "Report", "Rule", "Severity", "all_rules", "check", "check_many", "register", "rule_classes"]
