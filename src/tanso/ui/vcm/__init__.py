"""The VCM explorer app: a store (state in the URL, derived query results) and views on the kit."""
