"""GraphQL types and root fields for investments."""
