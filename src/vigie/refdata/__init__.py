"""Real French reference data shipped with Vigie (communes, names) and their loaders.

Both the synthetic-population generator and the detectors read these tables, so they live
here, below every stage, with no dependency on the rest of the package. Everything is
local: no network at run time. Provenance and licences are in SOURCES.md beside this file.
"""
