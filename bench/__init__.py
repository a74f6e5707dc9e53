"""The performance benchmark (`make bench`, `make bench-smoke`): see README, section Performance."""
