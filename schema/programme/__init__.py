"""GraphQL types and root fields for programme."""
