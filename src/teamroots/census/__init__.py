"""Data in: importers (file + mapping → rows + problems), export, and the sample plant."""
