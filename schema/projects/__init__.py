"""GraphQL types and root fields for projects."""
