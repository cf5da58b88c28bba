"""GraphQL types and root fields for dimensions."""
