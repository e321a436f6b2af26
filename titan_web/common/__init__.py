"""Cross-cutting web pieces: errors as problem+json, pagination, middleware, health, lifespan."""
