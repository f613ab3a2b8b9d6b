"""Comparing coders: the units they are compared on, agreement per code, disagreements, consensus and merging."""
