"""The Tensor class, its printing and indexing."""
