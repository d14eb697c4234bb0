"""The adapters that touch the world for the flows: the working store and its raw bytes, the
writer lock, fetching, the release writer and its site, the reference and lexicon loaders, and
the spaCy pipeline the coder runs on."""
