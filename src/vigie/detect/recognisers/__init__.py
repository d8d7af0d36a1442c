"""One recogniser per module; they are registered in `vigie.detect.registry`."""
