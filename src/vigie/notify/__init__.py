"""Notifications: CNIL and ARS drafts, per-patient art. 34 messages, and their sending."""
