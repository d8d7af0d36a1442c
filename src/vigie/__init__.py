"""Vigie: what a leak of French patient data exposes, about whom, from where — and who to tell."""

__version__ = "0.1.0"
