"""GraphQL types and root fields for cities."""
