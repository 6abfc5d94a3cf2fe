"""The API functions (jitgrad.sin, jitgrad.sum, ...) and the Tensor methods made from them."""
