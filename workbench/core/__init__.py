"""The domain core: model, store, corpus, codebook and codings. Imports nothing from the UI."""
