"""detect_anomaly's forward tracebacks: while the mode is on, the Python
stack of the user's call that appended records to a tape is kept per
record range, and an error in a backward (a nan check, an exception in a
custom Function's backward) warns torch's "Error detected in <node>" with
that traceback before the error propagates.

Records are appended from many places, so instead of a hook in each a
profile function (sys.setprofile, only while the mode is on: torch's
anomaly mode is slow too) watches calls from user code into jitgrad and
notes which records each one appended."""
from __future__ import annotations

import atexit
import os
import sys
import traceback
import warnings
import weakref
from typing import Any

from ..core import tape as T
from ..tensors.tensor import Tensor

# this package's directory: frames whose code lives under it are jitgrad's own
_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

# tape -> [(first record, end record, formatted user stack)]
_STACKS: "weakref.WeakKeyDictionary[Any, list]" = weakref.WeakKeyDictionary()
_OPEN: list = []        # [(frame, tape, its record count)] of the calls from user code in progress
_PREVIOUS: list = []    # the profile function in place before the mode switched it on

_CPP = "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:{}.)"


def _ours(frame) -> bool:
    return frame is not None and frame.f_code.co_filename.startswith(_PKG)


# name -> callback(tape, first record, end record, frame, returned value): told, when a call from
# user code into jitgrad returns, which records it appended (anomaly mode's stacks, saved-tensor hooks)
LISTENERS: dict = {}


def _profile(frame, event, arg):
    if event == "call":
        if _ours(frame) and not _ours(frame.f_back):
            tape = T.STATE.tape()
            _OPEN.append((frame, tape, len(tape) if tape is not None else 0))
    elif event == "return" and RESULTS and arg.__class__ is Tensor and arg._tape is not None and _ours(frame):
        # (every result made inside a call, while someone asks: its shape and dtype outlive it)
        RESULTS[-1].setdefault(arg._tape, {})[arg._slot] = (tuple(arg.shape), arg.dtype)
    if event == "return" and _OPEN and _OPEN[-1][0] is frame:
        _, tape, n = _OPEN.pop()
        now = T.STATE.tape()
        spans = [(tape, n)] if tape is not None else []
        if now is not None and now is not tape:
            spans.append((now, 0))
        for t, start in spans:
            if len(t) > start:
                for listener in list(LISTENERS.values()):
                    listener(t, start, len(t), frame, arg)
    previous = _PREVIOUS[-1] if _PREVIOUS else None
    if previous is not None:
        previous(frame, event, arg)


# while non-empty: [WeakKeyDictionary tape -> {slot: (shape, dtype)}] of the results jitgrad's
# functions returned (saved_builtin: the shapes of intermediates gone when the user's call returns)
RESULTS: list = []


def listen(name: str, callback: Any) -> None:
    """Add (callback) or remove (None) a listener; the profile function runs while there is one."""
    if callback is None:
        LISTENERS.pop(name, None)
    else:
        LISTENERS[name] = callback
    watching = sys.getprofile() is _profile
    if LISTENERS and not watching:
        _PREVIOUS[:] = [sys.getprofile()]
        sys.setprofile(_profile)
        if not _AT_EXIT:
            # (a mode left on: unhooked before the interpreter clears this
            # module, whose profile function would then fail on every call)
            atexit.register(_unhook)
            _AT_EXIT.append(True)
    elif not LISTENERS and watching:
        sys.setprofile(_PREVIOUS[0] if _PREVIOUS else None)
        _PREVIOUS.clear()
        _OPEN.clear()


_AT_EXIT: list = []


def _unhook() -> None:
    if sys.getprofile() is _profile:
        sys.setprofile(None)


def _note_stack(tape, start, end, frame, value):
    _STACKS.setdefault(tape, []).append((start, end, "".join(traceback.format_stack(frame.f_back))))


def mode_changed(mode: bool) -> None:
    """ANOMALY.on_change: note the forward stacks while the mode is on."""
    listen("anomaly", _note_stack if mode else None)


def warn_error(tape: Any, record: int, name: str) -> None:
    """torch's warning for an error in the backward of node `name` (record of tape)."""
    # the innermost call from user code that made it (a module's forward inside model(x))
    spans = [(end - start, -i, text) for i, (start, end, text) in enumerate(_STACKS.get(tape, ()))
             if start <= record < end]
    stack = min(spans)[2] if spans else None
    if stack is None:
        message = (f"Error detected in {name}. No forward pass information available. Enable detect anomaly "
                   f"during forward pass for more information. {_CPP.format(100)}")
    else:
        message = f"Error detected in {name}. Traceback of forward call that caused the error:\n{stack} " \
                  + _CPP.format(122)
    warnings.warn(message, UserWarning, stacklevel=1)


T.ANOMALY.on_change = mode_changed
