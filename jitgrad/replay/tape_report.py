"""What a compiled tape says of itself: `stats()`, `dump()`, `to_dot()` and
its repr (a mixin of `compiler.CompiledTape`, which holds the arrays read
here: rec, fmode, vals0, meta, guards, args, captured, blas, host)."""
import numpy as np

from ..core import kernels as K
from ..core import ops as O
from .recording import _GUARD_WORDS

OP_NAMES = {op.opcode: op.name for op in O.TABLE}
_OWN = {K.MSE_LOSS, K.HUBER_LOSS, K.SMOOTH_L1_LOSS, K.VAR, K.BATCH_NORM}     # (b: m slots)


class TapeReport:
    def stats(self):
        """Op counts, slots, memory and guards of this tape."""
        ops = {}
        if len(self.rec):
            codes, counts = np.unique(self.rec[:, 0], return_counts=True)
            for c, k in zip(codes, counts):
                ops[OP_NAMES.get(int(c), f"op{int(c)}")] = int(k)
        # (matmul records with a BLAS plan leave the Numba forward loop, but their
        # forward runs in Numba too: counted apart)
        host_fwd = sum(1 for r in np.nonzero(self.fmode & K.FM_HOST)[0].tolist() if r not in self.blas)
        mem = self.rec.nbytes + self.vals0.nbytes + self.meta.nbytes + self.fmode.nbytes + sum(
            g.nbytes for g in self.guards)
        return {
            "mode": self.mode if not self.reason else f"{self.mode} ({self.reason})",
            "records": int(len(self.rec)),
            "ops": dict(sorted(ops.items(), key=lambda kv: -kv[1])),
            "slots": int(self.vals0.size),
            "meta": int(self.meta.size),
            "inputs": len([a for a in self.args if a[0] >= 0]) + len(self.captured) + len(self.extern),
            "outputs": len(self.outs),
            "guards": int(self.guards[0].size),
            "host_forward_records": host_fwd,
            "blas_records": len(self.blas),
            "float32_records": int(np.count_nonzero(self.fmode & K.FM_R32)),
            "memory_bytes": int(mem),
        }

    def dump(self, limit=None):
        """A readable listing of the records, one per line (``limit``: the first
        records only)."""
        lines = []
        st = self.stats()
        lines.append(f"tape of {self.fn_name or '<loaded>'}: {st['records']} records, {st['slots']} slots, "
                     f"{st['guards']} guards, {st['memory_bytes']} bytes, {st['mode']}")
        for i, (slot, n, shape, dt, rg) in enumerate(self.args):
            where = f"%{slot}" + (f"[{n}]" if n != 1 else "") if slot >= 0 else "unused"
            lines.append(f"  arg {i}: {dt.name}{list(shape)}{' requires_grad' if rg else ''} -> {where}")
        for ref, slot, n, shape, dt, rg in self.captured:
            lines.append(f"  captured: {dt.name}{list(shape)} -> %{slot}" + (f"[{n}]" if n != 1 else ""))
        vals = self.vals0
        rows = self.rec if limit is None else self.rec[:limit]
        for r, (op, out, n, a, b, m, ia) in enumerate(rows):
            name = OP_NAMES.get(int(op), f"op{int(op)}")
            fm = int(self.fmode[r])
            flags = "".join(f for bit, f in ((K.FM_HOST, " host"), (K.FM_R32, " f32")) if fm & bit)
            opnd = [_slot_str(a, 1 if (op < K.N_ELEMENTWISE and m & 1) else (n if op < K.N_ELEMENTWISE or op == K.BATCH_NORM
                                                                           else m), vals)]
            if b >= 0:
                opnd.append(_slot_str(b, m if op in _OWN else 1 if m & 2 else n, vals))
            if op < K.N_ELEMENTWISE and ia >= 0:
                opnd.append(f"c={vals[ia]:.6g}")
            elif op in (K.SUM,) and vals[ia] != 1.0:
                opnd.append(f"scale={vals[ia]:.6g}")
            lines.append(f"{r:6d}  %{out}" + (f"[{n}]" if n != 1 else "") + f" = {name}(" + ", ".join(opnd) + ")"
                         + (f"   = {vals[out]:.6g}" if n == 1 else "") + flags)
        if limit is not None and len(self.rec) > limit:
            lines.append(f"  ... {len(self.rec) - limit} more records")
        ga, gb, gk, gc, gw, gs = self.guards
        for g in range(ga.size if limit is None else min(ga.size, limit)):
            k = int(gk[g])
            rhs = "" if k > K.G_NE else (f" %{gb[g]}" if gb[g] >= 0 else f" {gc[g]:.6g}")
            lines.append(f"  guard {g}: {_GUARD_WORDS[k]}(%{ga[g]}{rhs}) == {gw[g]:.6g}   at "
                         f"{self.flipped_site(g)}")
        text = "\n".join(lines)
        return text

    def to_dot(self) -> str:
        """Graphviz DOT text of this tape: a node per argument and per record
        (op name, number of elements), an edge from each record or argument
        whose result a record reads (render it with the optional `graphviz`
        package, as `jitgrad.viz` does)."""
        lines = ["digraph {", "\tnode [shape=box fontname=monospace fontsize=10 style=filled]"]
        producer = {}
        for i, (slot, n, shape, dt, rg) in enumerate(self.args):
            if slot >= 0:
                lines.append(f'\targ{i} [label="arg {i}\\n{list(shape)} {dt.name}" fillcolor=lightblue]')
                producer.update((s, f"arg{i}") for s in range(slot, slot + max(n, 1)))
        for r, (op, out, n, a, b, m, ia) in enumerate(self.rec.tolist()):
            lines.append(f'\tr{r} [label="{OP_NAMES.get(op, op)}\\n{n}"]')
            width = m if op >= K.N_ELEMENTWISE else (1 if m & 1 else n)
            sources = {producer.get(s) for s in range(a, a + max(width, 1))} if a >= 0 else set()
            if b >= 0:
                sources |= {producer.get(s) for s in range(b, b + max(1 if m & 2 else n, 1))}
            lines += [f"\t{src} -> r{r}" for src in sorted(src for src in sources if src is not None)]
            producer.update((s, f"r{r}") for s in range(out, out + max(n, 1)))
        lines.append("}")
        return "\n".join(lines) + "\n"

    def __repr__(self):
        st = self.stats()
        return (f"<CompiledTape {self.fn_name or '<loaded>'}: {st['records']} records, {st['slots']} slots, "
                f"{st['guards']} guards, {st['mode']}>")


def _slot_str(s, n, vals):
    if n == 1:
        return f"%{s}"
    return f"%{s}[{n}]"


def _slot_str(s, n, vals):
    if n == 1:
        return f"%{s}"
    return f"%{s}[{n}]"
