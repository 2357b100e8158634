"""JSON Schema of a stack file, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

from typing import Any

from .models import Stack

SCHEMA_ID = "https://xcloud-iac.dev/schema/stack-v1.json"


def stack_json_schema() -> dict[str, Any]:
    schema = Stack.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "xcloud-iac stack",
    }
