"""GraphQL types and root fields for observations."""
