"""Backing up and restoring the whole register: `flask backup FILE`, `flask restore FILE`.

- dump: the portable, versioned JSON-lines format, written and read as a stream;
- cli: the two commands.

Every table the app's models declare is included (so a table added later is backed up
without a change here); the search index is not, it is derived. DESIGN §12.
"""
