"""Rules of the addressing area."""
