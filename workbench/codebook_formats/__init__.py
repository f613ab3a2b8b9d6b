"""Codebook exchange formats: other tools' codebook files to and from the workbench's codebook tree."""
