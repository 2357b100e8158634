"""Rules of the identity area."""
