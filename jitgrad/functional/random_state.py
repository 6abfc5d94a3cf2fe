"""torch.default_generator (a Generator standing for jitgrad's global
stream: seeding it seeds `manual_seed`'s), `torch.manual_seed` returning
it as torch does (so `generator=torch.manual_seed(0)` works), and the
torch.random module (manual_seed, seed, initial_seed, get/set_rng_state,
fork_rng)."""
from __future__ import annotations

import contextlib
import sys
import types
from typing import Any, Iterator

from ..tensors.tensor import Tensor
from . import creation as C

__all__ = ["default_generator", "manual_seed", "random"]


class _DefaultGenerator(C.Generator):
    """The global generator: every method acts on jitgrad's default stream."""

    def __init__(self) -> None:
        self.device = C.D.device("cpu")

    def __repr__(self) -> str:
        return f"<jitgrad._C.Generator object at {hex(id(self))}>"

    @property
    def np(self) -> Any:
        return C.RNG.np

    @property
    def _np(self) -> Any:       # what a draw reads (creation.real_rng): the global stream itself
        return C.RNG.np

    def manual_seed(self, seed: Any) -> "_DefaultGenerator":
        C.manual_seed(seed)
        return self

    def seed(self) -> int:
        C.seed()
        return C.initial_seed()

    def initial_seed(self) -> int:
        return C.initial_seed()

    def get_state(self) -> Tensor:
        return C.get_rng_state()

    def set_state(self, new_state: Tensor) -> "_DefaultGenerator":
        C.set_rng_state(new_state)
        return self


default_generator = _DefaultGenerator()


def manual_seed(seed: Any) -> C.Generator:
    """Seed jitgrad's global stream; returns torch.default_generator, as torch."""
    C.manual_seed(seed)
    return default_generator


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: Any = None) -> Iterator[None]:
    """Restore the global stream's state on exit (draws inside do not advance it outside)."""
    if not enabled:
        yield
        return
    state = C.get_rng_state()
    try:
        yield
    finally:
        C.set_rng_state(state)


random = types.ModuleType("jitgrad.random", "torch.random: the global random stream.")
for _name, _value in {"manual_seed": manual_seed, "seed": C.seed, "initial_seed": C.initial_seed,
                      "get_rng_state": C.get_rng_state, "set_rng_state": C.set_rng_state, "fork_rng": fork_rng,
                      "default_generator": default_generator, "Generator": C.Generator}.items():
    setattr(random, _name, _value)
sys.modules["jitgrad.random"] = random     # `from torch.random import fork_rng` under `import jitgrad as torch`
