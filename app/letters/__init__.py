"""Reading Kamerbrieven: metadata, promises and deadline phrases."""
