"""Follow-through (issue 12): visits to linked teams, their findings and actions, and when
things are late. Pure: dates and plain values in, judgements out; the store and the services
bring the data."""
