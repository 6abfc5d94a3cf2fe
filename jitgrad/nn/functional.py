"""jitgrad.nn.functional: activations and losses, composed from primitives
(no derivative code here)."""
from .. import functions as F


def relu(input, inplace=False):
    return F.relu(input)


def sigmoid(input):
    return F.sigmoid(input)


def tanh(input):
    return F.tanh(input)
