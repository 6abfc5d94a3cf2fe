"""Differentiation over tapes: the backward engine, bulk (large-array) records,
and create_graph (the backward recorded as tensor ops)."""
