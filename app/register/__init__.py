"""The register itself: promises, the documents and people around them, and their history.

Every change to a promise goes through :mod:`app.register.services`.
"""
