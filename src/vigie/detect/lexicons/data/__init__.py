"""Data files of the medical lexicons (sources and licences in SOURCES.md)."""
