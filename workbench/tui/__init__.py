"""The Textual front end: a thin layer over workbench.core."""
