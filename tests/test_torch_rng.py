"""Same seed, same numbers as torch: jitgrad's CPU generator (mt19937 seeded
as torch's CPUGeneratorImpl, its state bytes) and torch's CPU sampling
algorithms, compared bit for bit with the installed torch."""
import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.functional.mt19937 import CPUStream, DEFAULT_SEED

SEEDS = [0, 1, 7, 42, 12345, 2 ** 32 + 5, 2 ** 63 + 11]
SIZES = [1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100, 1000, 4099]
DTYPES = [("float32", torch.float32, jg.float32), ("float64", torch.float64, jg.float64)]


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    assert np.array_equal(a, b, equal_nan=True), np.flatnonzero(a != b)[:10]


def seed_both(s):
    torch.manual_seed(s)
    jg.manual_seed(s)


@pytest.mark.parametrize("seed", SEEDS + [-1, 2 ** 64 - 1])
def test_seeding_gives_torchs_state_bytes(seed):
    seed_both(seed)
    same_bits(jg.get_rng_state().numpy(), torch.get_rng_state().numpy())
    assert jg.initial_seed() == torch.initial_seed()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_rand_randn_randint_bit_for_bit(seed, n):
    for _, tdt, jdt in DTYPES:
        seed_both(seed)
        same_bits(jg.rand(n, dtype=jdt).numpy(), torch.rand(n, dtype=tdt).numpy())
        same_bits(jg.randn(n, dtype=jdt).numpy(), torch.randn(n, dtype=tdt).numpy())
        same_bits(jg.randn(n, 2, dtype=jdt).numpy(), torch.randn(n, 2, dtype=tdt).numpy())
    for lo, hi in [(0, 10), (-5, 3), (0, 2 ** 31), (0, 2 ** 33), (-2 ** 40, 2 ** 41)]:
        seed_both(seed)
        same_bits(jg.randint(lo, hi, (n,)).numpy(), torch.randint(lo, hi, (n,)).numpy())
    seed_both(seed)
    same_bits(jg.randperm(n).numpy(), torch.randperm(n).numpy())
    same_bits(jg.get_rng_state().numpy(), torch.get_rng_state().numpy())


def test_large_normal_float32_matches_torchs_avx2_kernel():
    """float32 >= 16 elements: torch's AVX2 Box-Muller (avx_mathfun polynomials, fmas)."""
    seed_both(3)
    same_bits(jg.randn(1000003).numpy(), torch.randn(1000003).numpy())
    same_bits(jg.empty(70001).normal_(0.3, 2.7).numpy(), torch.empty(70001).normal_(0.3, 2.7).numpy())
    same_bits(jg.randn(65537, dtype=jg.float64).numpy(), torch.randn(65537, dtype=torch.float64).numpy())


def test_interleaved_calls_share_the_cached_normal():
    """The serial sampler's cached second sample carries across calls and dtypes."""
    seed_both(9)
    calls = [lambda m: m.randn(3), lambda m: m.randn(20), lambda m: m.randn(1, dtype=m.float64),
             lambda m: m.rand(5), lambda m: m.randn(7), lambda m: m.randn(2, 2, dtype=m.float64),
             lambda m: m.randint(0, 100, (3,)), lambda m: m.randn(1), lambda m: m.normal(2.0, 3.0, size=(5,))]
    for call in calls * 3:
        same_bits(call(jg).numpy(), call(torch).numpy())
        same_bits(jg.get_rng_state().numpy(), torch.get_rng_state().numpy())


@pytest.mark.parametrize("name,dt", [(n, d) for n, d, _ in DTYPES])
def test_in_place_samplers(name, dt):
    jdt = getattr(jg, name)
    cases = [("uniform_", (-0.37, 1.9)), ("uniform_", (-3, 3)), ("normal_", (0.5, 2.0)), ("normal_", ()),
             ("exponential_", (1.5,)), ("cauchy_", (0.2, 1.5)), ("log_normal_", (0.2, 0.5)),
             ("geometric_", (0.3,)), ("random_", (0, 100)), ("random_", (7,)), ("random_", ()),
             ("bernoulli_", (0.3,))]
    for n in (5, 16, 1001):
        for method, args in cases:
            seed_both(n)
            a = getattr(jg.empty(n, dtype=jdt), method)(*args).numpy()
            b = getattr(torch.empty(n, dtype=dt), method)(*args).numpy()
            same_bits(a, b)


def test_non_contiguous_normal_takes_the_serial_sampler():
    seed_both(4)
    a = jg.empty(8, 6).t()
    b = torch.empty(8, 6).t()
    same_bits(a.normal_().numpy(), b.normal_().numpy())


@pytest.mark.parametrize("dt", [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool,
                                torch.float32, torch.float64])
def test_random_default_bounds_per_dtype(dt):
    jdt = getattr(jg, str(dt).split(".")[1])
    seed_both(5)
    same_bits(jg.empty(50, dtype=jdt).random_().numpy(), torch.empty(50, dtype=dt).random_().numpy())
    if dt is not torch.bool:
        same_bits(jg.empty(50, dtype=jdt).random_(3, 9).numpy(), torch.empty(50, dtype=dt).random_(3, 9).numpy())


def test_full_64_bit_random():
    seed_both(6)
    same_bits(jg.empty(20, dtype=jg.int64).random_(-2 ** 63, None).numpy(),
              torch.empty(20, dtype=torch.int64).random_(-2 ** 63, None).numpy())


def test_bernoulli_multinomial_normal_of_tensors():
    seed_both(8)
    p32 = torch.rand(4, 9)
    jp32 = jg.rand(4, 9)
    same_bits(jp32.numpy(), p32.numpy())
    for p, jp in [(p32, jp32), (p32.double(), jg.tensor(p32.double().numpy()))]:
        same_bits(jg.bernoulli(jp).numpy(), torch.bernoulli(p).numpy())
        same_bits(jg.bernoulli(jp, 0.25).numpy(), torch.bernoulli(p, 0.25).numpy())
        for k, rep in [(1, False), (1, True), (3, False), (9, False), (20, True)]:
            same_bits(jg.multinomial(jp + 0.01, k, rep).numpy(), torch.multinomial(p + 0.01, k, rep).numpy())
        same_bits(jg.multinomial(jp[0] + 0.01, 4).numpy(), torch.multinomial(p[0] + 0.01, 4).numpy())
        mean, std = p * 3 - 1, p + 0.1
        jmean, jstd = jp * 3 - 1, jp + 0.1
        same_bits(jg.normal(jmean, jstd).numpy(), torch.normal(mean, std).numpy())
        same_bits(jg.normal(jmean, 2.0).numpy(), torch.normal(mean, 2.0).numpy())
        same_bits(jg.normal(0.5, jstd).numpy(), torch.normal(0.5, std).numpy())
    same_bits(jg.get_rng_state().numpy(), torch.get_rng_state().numpy())


def test_like_functions_and_dropout():
    seed_both(10)
    x = torch.zeros(3, 17)
    jx = jg.zeros(3, 17)
    same_bits(jg.rand_like(jx).numpy(), torch.rand_like(x).numpy())
    same_bits(jg.randn_like(jx).numpy(), torch.randn_like(x).numpy())
    same_bits(jg.randint_like(jx, 3, 11).numpy(), torch.randint_like(x, 3, 11).numpy())
    same_bits(jg.nn.functional.dropout(jx + 1, 0.3).numpy(), torch.nn.functional.dropout(x + 1, 0.3).numpy())
    same_bits(jg.nn.Dropout(0.5)(jx + 2).numpy(), torch.nn.Dropout(0.5)(x + 2).numpy())


def test_generator_objects():
    assert jg.Generator().initial_seed() == torch.Generator().initial_seed() == DEFAULT_SEED
    g, tg = jg.Generator(), torch.Generator()
    same_bits(jg.randn(5, generator=g).numpy(), torch.randn(5, generator=tg).numpy())
    g.manual_seed(77)
    tg.manual_seed(77)
    same_bits(g.get_state().numpy(), tg.get_state().numpy())
    same_bits(jg.rand(40, generator=g).numpy(), torch.rand(40, generator=tg).numpy())
    same_bits(jg.randperm(30, generator=g).numpy(), torch.randperm(30, generator=tg).numpy())
    same_bits(jg.empty(20).uniform_(-1, 1, generator=g).numpy(), torch.empty(20).uniform_(-1, 1, generator=tg).numpy())
    same_bits(g.get_state().numpy(), tg.get_state().numpy())
    assert jg.manual_seed(3) is jg.default_generator
    torch.manual_seed(3)
    same_bits(jg.randn(4, generator=jg.manual_seed(3)).numpy(), torch.randn(4, generator=torch.manual_seed(3)).numpy())


def test_states_cross_between_the_libraries():
    """A state saved by torch restores in jitgrad (and back) and continues the same, caches included."""
    torch.manual_seed(21)
    torch.randn(3)              # leaves a cached double normal
    state = torch.get_rng_state()
    jg.set_rng_state(jg.tensor(state.numpy()))
    same_bits(jg.get_rng_state().numpy(), state.numpy())
    same_bits(jg.randn(5).numpy(), torch.randn(5).numpy())
    jg.rand(700)                # across a twist
    torch.set_rng_state(torch.from_numpy(jg.get_rng_state().numpy()))
    same_bits(jg.randn(9, dtype=jg.float64).numpy(), torch.randn(9, dtype=torch.float64).numpy())
    g = jg.Generator()
    g.set_state(jg.tensor(torch.Generator().manual_seed(5).get_state().numpy()))
    same_bits(jg.rand(3, generator=g).numpy(), torch.rand(3, generator=torch.Generator().manual_seed(5)).numpy())


def test_bad_states_raise_torchs_errors_and_leave_the_generator():
    jg.manual_seed(2)
    before = jg.get_rng_state().numpy()
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056 but found the input "
                                           "RNG state size to be 10"):
        jg.set_rng_state(jg.zeros(10, dtype=jg.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        jg.set_rng_state(jg.zeros(5056, dtype=jg.uint8))
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        jg.set_rng_state(jg.zeros(5056))
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        jg.manual_seed(2 ** 64)
    same_bits(jg.get_rng_state().numpy(), before)


def test_fork_rng_and_seed():
    seed_both(13)
    with jg.random.fork_rng():
        jg.randn(100)
    same_bits(jg.randn(3).numpy(), torch.randn(3).numpy())
    s = jg.seed()
    assert jg.initial_seed() == s and 0 <= s < 2 ** 64
    torch.manual_seed(s)
    same_bits(jg.rand(4).numpy(), torch.rand(4).numpy())


def test_raw_stream_is_init_genrand_mt19937():
    """The engine's first outputs are the reference mt19937's (seed 5489)."""
    assert CPUStream(5489).u32(1)[0] == 3499211612


@pytest.mark.parametrize("seed", [0, 1, 2024])
def test_user_script_training_prints_what_torch_prints(seed, capsys):
    """Seed once, build a model, random data, a few SGD steps: identical printed losses and gradients."""
    def script(m):
        m.manual_seed(seed)
        model = m.nn.Sequential(m.nn.Linear(6, 16), m.nn.ReLU(), m.nn.Dropout(0.2), m.nn.Linear(16, 3))
        m.nn.init.xavier_uniform_(model[3].weight)
        x = m.randn(32, 6)
        y = m.randint(0, 3, (32,))
        opt = m.optim.SGD(model.parameters(), lr=0.1)
        for step in range(4):
            idx = m.randperm(32)[:16]
            loss = m.nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(step, loss)
        print(model[0].bias)
        print(model[3].weight)
    script(jg)
    ours = capsys.readouterr().out
    script(torch)
    theirs = capsys.readouterr().out
    assert ours == theirs.replace("torch.", "jitgrad.") or ours == theirs


def test_kaiming_normal_trunc_normal_and_conv_init():
    seed_both(30)
    same_bits(jg.nn.Conv2d(3, 8, 3).weight.detach().numpy(), torch.nn.Conv2d(3, 8, 3).weight.detach().numpy())
    same_bits(jg.nn.init.kaiming_normal_(jg.empty(20, 10)).numpy(), torch.nn.init.kaiming_normal_(torch.empty(20, 10)).numpy())
    same_bits(jg.nn.init.normal_(jg.empty(7, 3), 0.0, 0.02).numpy(), torch.nn.init.normal_(torch.empty(7, 3), 0.0, 0.02).numpy())
    same_bits(jg.nn.init.xavier_normal_(jg.empty(9, 4)).numpy(), torch.nn.init.xavier_normal_(torch.empty(9, 4)).numpy())
    same_bits(jg.get_rng_state().numpy(), torch.get_rng_state().numpy())
