"""Simulations behind the lessons: small, seeded, vectorised models of workloads, sharding, caching
and failures."""
