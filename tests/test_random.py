"""One generator behind every draw: manual_seed reseeds randn, rand, randint,
normal_/uniform_ and dropout alike (each module that draws reads the same
generator object, so a reseed is seen everywhere)."""
import numpy as np

import jitgrad


def _draws():
    a = jitgrad.randn(3)
    b = jitgrad.empty(4).normal_()
    c = jitgrad.empty(2).uniform_()
    d = jitgrad.nn.functional.dropout(jitgrad.ones(6), 0.5)
    e = jitgrad.randint(0, 10, (3,))
    return [t.numpy() for t in (a, b, c, d, e)]


def test_manual_seed_reseeds_every_kind_of_draw():
    jitgrad.manual_seed(123)
    first = _draws()
    jitgrad.manual_seed(123)
    second = _draws()
    for x, y in zip(first, second):
        np.testing.assert_array_equal(x, y)
    jitgrad.manual_seed(124)
    third = _draws()
    assert not np.array_equal(first[1], third[1])   # a different seed draws differently
