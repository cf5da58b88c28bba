"""The GraphQL schema: Strawberry types, inputs and resolvers, one folder per domain."""
