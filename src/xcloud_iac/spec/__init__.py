"""The declarative stack: models, the YAML loader with positions, and JSON Schema export."""

from .errors import Location, Problem, SpecError, format_path
from .loader import load, load_section, load_text
from .models import *  # noqa: F403
from .models import Stack

__all__ = ["Location", "Problem", "SpecError", "Stack", "format_path", "load", "load_section", "load_text"]
