"""Rules of the interconnect area."""
