"""Global IDs: base64url("Type:natural-key"). Part of the API contract, and written into the
bulk downloads too, so a downloaded record and the API's node share one ID."""

import base64


def global_id(type_name: str, key: str) -> str:
    raw = f"{type_name}:{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
