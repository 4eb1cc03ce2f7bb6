"""Users and roles. Logging in and managing accounts arrive with the clerks' screens."""
