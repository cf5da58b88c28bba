"""GraphQL types and root fields for milestones."""
