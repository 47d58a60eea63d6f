"""Use cases that combine the core with storage and formats."""
