"""Backups: `flask backup` writes one archive of the database and the stored files; `flask restore` brings it back."""
