"""GraphQL types for the programme's governance: who plays which part, screened proposals,
and what indicators measure."""
