"""The pure core: no files, network, database, web or printing. Every result explains itself."""
