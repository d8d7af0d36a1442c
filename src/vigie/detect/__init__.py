"""Detection: recognisers, the column-name dictionary and the column classifier.

Entry point for the rest of Vigie: `vigie.detect.registry.classify_column`.
"""
