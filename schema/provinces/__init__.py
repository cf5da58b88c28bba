"""GraphQL types and root fields for provinces."""
