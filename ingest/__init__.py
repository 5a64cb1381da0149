"""Sources to store: read, decode, extract, clean, split, analyse and write articles."""
