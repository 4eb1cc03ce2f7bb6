"""Exchanging promises with the Kamer in its open-data shapes: import, export, sync (DESIGN §13)."""
