"""torch._dynamo's names that pasted code touches (`torch._dynamo.reset()`,
`torch._dynamo.config.cache_size_limit = ...`, `suppress_errors`): jitgrad
has no bytecode tracer, so they reset nothing and configure nothing;
jitgrad.compile's own caches and guards are described in ARCHITECTURE.md."""
import types

from .compiler import disable, is_compiling, reset  # noqa: F401  (torch._dynamo's spellings)

# Settings read by nothing here (jitgrad.compile takes cache_size= itself).
config = types.SimpleNamespace(cache_size_limit=8, accumulated_cache_size_limit=256, suppress_errors=False,
                               verbose=False, capture_scalar_outputs=False, automatic_dynamic_shapes=True,
                               assume_static_by_default=True, specialize_int=False, optimize_ddp=True)

