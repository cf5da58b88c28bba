"""GraphQL types and root fields for organizations."""
