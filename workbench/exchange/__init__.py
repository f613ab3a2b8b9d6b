"""Whole projects exchanged with other QDA tools: REFI-QDA 1.0 projects (.qdpx) in (`qdpx_import`) and out (`qdpx_export`)."""
