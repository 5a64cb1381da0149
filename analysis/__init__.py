"""Korean text to morphemes and facts (Kiwi, entities, values, dates, roles, quotes),
shared by ingest (which writes what it finds) and answer (which reads questions with it)."""
