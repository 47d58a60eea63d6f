"""File formats at the edge: reading and writing, with validation that names file, row and column."""
