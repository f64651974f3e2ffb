"""`make bench`: how close a training step of `backprop` comes to the time of its matrix products.

Every figure is a ratio of two timings taken in this one process, the two run alternately
(candidate then baseline, then baseline then candidate, ...) so that a slow spell of a shared
machine hits both; a ratio is the median over the repeats of the ratio within each repeat.
Everything runs once with 1 BLAS thread (threadpoolctl) and once with the default number.
The targets hold at 1 thread; the default-thread lines are for information.

The targets are written in backprop_site/performance.py (STEP_TARGETS), which the page and the
tests read too; a line without a target is information, such as the in-place lines: the step
with its update written in place (step_in_place), to show what the package's all-or-nothing
update costs.
After the ratios, one line per target says whether it holds or misses; the command exits 0
either way (the figures are measurements, not a test). The PyTorch lines need `torch`
importable; without it they are skipped and the PyTorch target says "not measured".

The results go to docs/assets/performance/results.json (with the machine, the BLAS, the
versions and the load average); the Performance page builds its tables and plot from that file.

    .venv/bin/python benchmarks/run.py            # what `make bench` runs
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats, for a smoke test
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

import backprop
from backprop import Network, learner_data, learner_network
from backprop_site.performance import LEARNER, STEP_TARGETS, holds, target_of
from learner_script import learner_script  # benchmarks/, this script's folder

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "assets" / "performance" / "results.json"
SMALL, LARGE = (784, 256, 10), (1024, 1024, 1024, 10)
BATCH = {SMALL: 256, LARGE: 512}
LR = 1e-4  # small, so that repeated steps keep the weights in a normal range

GEMM_FLOOR = (
    "the matrix products of the step and nothing else: per layer l the forward a^{l-1} W^l, "
    "the backward (a^{l-1})^T delta^l and, for l >= 2, delta^l (W^l)^T (the step never forms "
    "delta^1 (W^1)^T = dC/dx); same operands and memory layouts as the step, written into "
    "preallocated outputs (np.matmul(..., out=)), so no allocation, bias, activation, cost or update"
)


def name_of(sizes):
    return "-".join(str(n) for n in sizes)


# ---------------------------------------------------------------- timing


# With one thread, the CPU time of this thread is what a step costs, and other processes on a
# shared machine barely change it; with several BLAS threads only the wall clock tells.
CLOCKS = {1: time.thread_time, "default": time.perf_counter}
CLOCK_NAMES = {1: "CPU time of the benchmark's thread (time.thread_time)",
               "default": "wall-clock time (time.perf_counter)"}


def _time(f, number, clock):
    start = clock()
    for _ in range(number):
        f()
    return (clock() - start) / number


def paired(candidate, baseline, repeats, clock, min_time=0.02):
    """Time ``candidate`` and ``baseline`` alternately; median of the per-repeat ratios."""
    candidate(), baseline()  # warm up caches, allocator and BLAS buffers
    once = max(_time(candidate, 1, clock), _time(baseline, 1, clock), 1e-7)
    number = max(1, int(min_time / once))
    tc, tb, ratios = [], [], []
    for r in range(repeats):
        if r % 2 == 0:
            c, b = _time(candidate, number, clock), _time(baseline, number, clock)
        else:
            b, c = _time(baseline, number, clock), _time(candidate, number, clock)
        tc.append(c)
        tb.append(b)
        ratios.append(c / b)
    return {
        "ratio": statistics.median(ratios),
        "candidate_s": statistics.median(tc),
        "baseline_s": statistics.median(tb),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "repeats": repeats,
        "number": number,
    }


# ---------------------------------------------------------------- what is compared


def make_problem(sizes, dtype, seed=0, bias=True):
    rng = np.random.default_rng(seed)
    net = Network.from_sizes(list(sizes), rng, bias=bias, dtype=dtype)
    N = BATCH[tuple(sizes)]
    x = rng.standard_normal((N, sizes[0])).astype(dtype)
    y = rng.random((N, sizes[-1])).astype(dtype)
    return net, x, y


def step_products(net, x, y):
    """Every matrix product of ``net.step(x, y)`` as ``(A, B, C)``: A @ B has C's shape.

    Per layer l: the forward a^{l-1} W^l (shaped like delta^l), the weight gradient
    (a^{l-1})^T delta^l (like W^l) and, for l >= 2, delta^l (W^l)^T (like a^{l-1}); see GEMM_FLOOR.
    """
    cache = net.forward(x)
    grads = net.backward(cache, y)
    products = []
    for l in range(1, net.L + 1):
        a_prev, W, delta = cache[f"a{l - 1}"], net.params[f"W{l}"], grads[f"delta{l}"]
        products.append((a_prev, W, delta))
        products.append((a_prev.T, delta, W))
        if l > 1:
            products.append((delta, W.T, a_prev))
    return products


def gemm_floor(net, x, y):
    """A function running only the matrix products of ``net.step(x, y)``, into preallocated arrays."""
    products = [(A, B, np.empty_like(C)) for A, B, C in step_products(net, x, y)]

    def run():
        for A, B, out in products:
            np.matmul(A, B, out=out)

    return run


# The element-wise parts of a step, each run alone with the package's own calls on arrays of the
# step's shapes, so that its time can be set against the step's (see overhead_parts).
PARTS = {
    "input checks": "the checks of `x` and `y` (`as_matrix`, shapes), as `step` does",
    "bias adds": "`z += b`, every layer",
    "sigmoid": "the sigmoid of `z`, every layer, as the step computes it",
    "sigmoid' and delta": "`dC_da * a * (1 - a)`, every layer, as the step computes it",
    "bias gradients": "`delta.sum(axis=0)`, every layer",
    "cost and its gradient": "the half squared error and `a - y`",
    "update": "`new = W - lr * dW`, then `W[...] = new`, every parameter",
}


def overhead_parts(net, x, y):
    """A function per entry of PARTS, doing that part of ``net.step(x, y)`` on scratch arrays."""
    cache = net.forward(x)
    grads = net.backward(cache, y)
    layers = range(1, net.L + 1)
    z = {l: cache[f"z{l}"].copy() for l in layers}
    a = {l: cache[f"a{l}"] for l in layers}
    dC_da = {l: np.ones_like(a[l]) for l in layers}
    delta = {l: grads[f"delta{l}"] for l in layers}
    scratch = {name: (value.copy(), grads["d" + name]) for name, value in net.params.items()}
    # what the step calls: the unchecked maths
    sigmoid_forward, sigmoid_backward = net._activations[0]._forward, net._activations[0]._backward
    cost_value, cost_gradient = net._cost._value, net._cost._gradient
    aL = cache[f"a{net.L}"]

    def checks():
        net._check_x(x)
        net._check_y(y, x.shape[0])

    def bias_adds():
        for l in layers:
            z[l] += net.params[f"b{l}"]

    def forward_sigmoid():
        for l in layers:
            sigmoid_forward(z[l])

    def backward_sigmoid():
        for l in layers:
            sigmoid_backward(a[l], dC_da[l])

    def bias_gradients():
        for l in layers:
            delta[l].sum(axis=0, keepdims=True)

    def cost():
        cost_value(aL, y)
        cost_gradient(aL, y)

    def update():
        new = {name: value - LR * grad for name, (value, grad) in scratch.items()}
        for name, (value, _) in scratch.items():
            value[...] = new[name]

    return dict(zip(PARTS, [checks, bias_adds, forward_sigmoid, backward_sigmoid, bias_gradients,
                            cost, update]))


def step_in_place(net, x, y, lr):
    """``net.step(x, y, lr)`` with the update written in place, ``W -= lr * dW``, one parameter
    after the other; the same checks, passes and result.

    Information, not the package: ``Network.step`` computes every new value, and checks them
    all finite, before it writes the first, so that a step that goes beyond the floating-point
    range changes nothing. The in-place update allocates no weight-sized array; the two lines
    show what the all-or-nothing update costs.
    """
    x = net._check_x(x)
    y = net._check_y(y, x.shape[0])
    cache = net._forward(x)
    cost = net._cost._value(cache[f"a{net.L}"], y)
    grads = net._backward(cache, y)
    for name, W in net.params.items():
        W -= lr * grads.pop("d" + name)  # pop: lr * dW can be computed in dW's own memory
    return cost


def page_faults_per_step(step, steps=5):
    """Minor page faults of the process per call of ``step`` (memory the kernel had to map in)."""
    step()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(steps):
        step()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / steps


def torch_gemm_floor(net, x, y, torch):
    """The products of gemm_floor, computed by PyTorch (its own BLAS) into preallocated tensors."""
    products = [(torch.from_numpy(A), torch.from_numpy(B), torch.from_numpy(np.empty_like(C)))
                for A, B, C in step_products(net, x, y)]

    def run():
        for A, B, out in products:
            torch.matmul(A, B, out=out)

    return run


def per_sample_gradients(params, x, y):
    """The textbook loop: backprop one sample at a time, summing outer products ``a_i delta_j``.

    Same network (sigmoid layers, biases, half squared error summed over the batch) and the
    same result as ``Network.gradients``, one sample (a vector) at a time.
    """
    L = sum(1 for name in params if name.startswith("W"))
    grads = {"d" + name: np.zeros_like(value) for name, value in params.items()}
    for n in range(x.shape[0]):
        a = [x[n]]
        for l in range(1, L + 1):
            a.append(backprop.sigmoid(a[-1] @ params[f"W{l}"] + params[f"b{l}"][0]))
        dC_da = a[L] - y[n]
        for l in range(L, 0, -1):
            delta = dC_da * a[l] * (1 - a[l])
            grads[f"dW{l}"] += np.outer(a[l - 1], delta)
            grads[f"db{l}"][0] += delta
            dC_da = params[f"W{l}"] @ delta
    return grads


def torch_step_function(params, x, y, lr, torch):
    """PyTorch eager: the same network, cost and update as ``Network.step``, with autograd."""
    dtype = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}[x.dtype]
    L = sum(1 for name in params if name.startswith("W"))
    W = [torch.tensor(params[f"W{l}"], dtype=dtype, requires_grad=True) for l in range(1, L + 1)]
    b = [torch.tensor(params[f"b{l}"], dtype=dtype, requires_grad=True) if f"b{l}" in params else None
         for l in range(1, L + 1)]
    tx, ty = torch.tensor(x, dtype=dtype), torch.tensor(y, dtype=dtype)
    leaves = W + [p for p in b if p is not None]

    def step():
        a = tx
        for Wl, bl in zip(W, b):
            z = a @ Wl
            if bl is not None:
                z = z + bl
            a = torch.sigmoid(z)
        cost = 0.5 * ((a - ty) ** 2).sum()
        cost.backward()
        with torch.no_grad():
            for p in leaves:
                p -= lr * p.grad
                p.grad = None
        return cost.item()

    return step


def peak_memory(net, x, y):
    """Peak bytes during ``net.step`` and the two minimums it is compared with."""
    tracemalloc.start()
    net.step(x, y, LR)  # traced too: whatever a step keeps for the next one counts
    tracemalloc.reset_peak()
    net.step(x, y, LR)
    extra = tracemalloc.get_traced_memory()[1]  # held from the first step + allocated, at the peak
    tracemalloc.stop()
    cache = net.forward(x)
    grads = net.backward(cache, y)
    params = sum(p.nbytes for p in net.params.values())
    batch = x.nbytes + y.nbytes
    dW_db = sum(grads["d" + name].nbytes for name in net.params)
    a = sum(cache[f"a{l}"].nbytes for l in range(1, net.L + 1))
    z = sum(cache[f"z{l}"].nbytes for l in range(1, net.L + 1))
    deltas = sum(grads[f"delta{l}"].nbytes for l in range(1, net.L + 1))
    peak = params + batch + extra
    return {
        "peak_bytes": peak,
        "minimum_bytes": params + batch + dW_db + a + z + deltas,
        "strict_minimum_bytes": params + batch + dW_db + a,
    }


def dtype_kept(dtype):
    """Does a network of ``dtype`` keep it in its parameters, cache, gradients and cost's inputs?"""
    net, x, y = make_problem(SMALL, dtype)
    net.step(x, y, LR)
    cache = net.forward(x)
    grads = net.backward(cache, y)
    arrays = {**net.params, **cache, **grads}
    wrong = {name: str(value.dtype) for name, value in arrays.items() if value.dtype != dtype}
    return not wrong, wrong


# ---------------------------------------------------------------- running and reporting


def verdict(holds):
    return {True: "holds", False: "misses", None: ""}[holds]


def run(repeats, quick):
    entries = []
    breakdown = {}  # 1 thread: shares of the step's time
    faults = {}  # 1 thread: page faults per step, the package's and the in-place update's

    def record(name, what, threads, m, unit="x"):
        at_one = threads == 1
        comparison, target = target_of(name) if at_one else ("<=", None)
        held = holds(m["ratio"], comparison, target) if target is not None else None
        entry = {"name": name, "what": what, "threads": "1" if at_one else "default",
                 "clock": CLOCK_NAMES[1 if at_one else "default"],
                 "target": target, "comparison": comparison, "holds": held, **m}
        entries.append(entry)
        goal = f"target {comparison} {target}{unit}" if target is not None else "(information)"
        print(f"  {name:<44} {threads!s:>7} thr  {m['ratio']:8.3f}{unit}   {goal:<18} {verdict(held)}",
              flush=True)

    torch = None
    torch_reason = None
    try:
        import torch
    except ImportError as error:
        torch_reason = f"PyTorch is not importable here ({error}); install the optional extra to compare"

    for threads in (1, None):
        label = 1 if threads == 1 else "default"
        clock = CLOCKS[label]
        with threadpool_limits(limits=threads):
            if torch is not None:
                torch.set_num_threads(1 if threads == 1 else (os.cpu_count() or 1))
            n_threads = threadpool_info()[0]["num_threads"] if threadpool_info() else None
            print(f"\n-- BLAS threads: {label} ({n_threads})", flush=True)
            for sizes in (SMALL, LARGE):
                for dtype in (np.float32, np.float64):
                    net, x, y = make_problem(sizes, dtype)
                    name = f"{name_of(sizes)} N={BATCH[sizes]} {np.dtype(dtype).name}"
                    m = paired(lambda: net.step(x, y, LR), gemm_floor(net, x, y), repeats, clock)
                    record(f"step/gemm {name}",
                           "Network.step time over the time of its matrix products alone: " + GEMM_FLOOR,
                           label, m)
                    if threads == 1:
                        net2, x2, y2 = make_problem(sizes, dtype)
                        m2 = paired(lambda: step_in_place(net2, x2, y2, LR), gemm_floor(net2, x2, y2),
                                    repeats, clock)
                        record(f"in-place step/gemm {name}",
                               "the step with its update written in place (W -= lr * dW, see "
                               "step_in_place) over its matrix products; information: what the "
                               "package's all-or-nothing update costs", label, m2)
                        faults[name] = {
                            "step": page_faults_per_step(lambda: net.step(x, y, LR)),
                            "in-place step": page_faults_per_step(lambda: step_in_place(net2, x2, y2, LR))}
                    if threads == 1:
                        shares = {"matrix products": 1 / m["ratio"]}
                        for part, run_part in overhead_parts(net, x, y).items():
                            shares[part] = paired(run_part, lambda: net.step(x, y, LR), repeats,
                                                  clock)["ratio"]
                        shares["rest"] = 1 - sum(shares.values())
                        breakdown[name] = shares
                        print(f"  {'':<44} {'':>7}      products {shares['matrix products']:.1%}, "
                              f"element-wise parts {1 - shares['matrix products'] - shares['rest']:.1%}, "
                              f"rest {shares['rest']:.1%}",
                              flush=True)
            for sizes in (SMALL, LARGE):
                net, x, y = make_problem(sizes, np.float64)
                cache = net.forward(x)
                m = paired(lambda: net.backward(cache, y), lambda: net.forward(x), repeats, clock)
                record(f"backward/forward {name_of(sizes)} N={BATCH[sizes]} float64",
                       "Network.backward time over Network.forward time (no target: it explains the step)",
                       label, m)

            net, x, y = make_problem(SMALL, np.float64)
            loop_grads = per_sample_gradients(net.params, x, y)
            grads = net.gradients(x, y)
            for name in net.params:
                np.testing.assert_allclose(loop_grads["d" + name], grads["d" + name], rtol=1e-9, atol=1e-12)
            m = paired(lambda: per_sample_gradients(net.params, x, y), lambda: net.gradients(x, y),
                       max(3, repeats // 3), clock)
            record(f"loop/vectorized gradient {name_of(SMALL)} N=256 float64",
                   "per-sample loop of outer products over Network.gradients (how many times faster "
                   "the vectorized gradient is)", label, m)

            xl, yl = learner_data()
            ours = learner_network()
            ours.train(xl, yl, 1.0, 1000)
            a2, weight1, weight2 = learner_script(1000)
            np.testing.assert_allclose(ours.params["W1"], weight1, rtol=1e-9)
            np.testing.assert_allclose(ours.params["W2"], weight2, rtol=1e-9)
            m = paired(lambda: learner_network().train(xl, yl, 1.0, 1000), lambda: learner_script(1000),
                       repeats, clock, min_time=0.1)
            record(LEARNER,
                   "learner_network() and 1000 iterations of Network.train over the learner's own "
                   "20-line script (benchmarks/learner_script.py), both from the seed to the end",
                   label, m)

            if torch is None:
                print(f"  PyTorch comparisons skipped: {torch_reason}", flush=True)
            else:
                for sizes, dtype in ((SMALL, np.float32), (SMALL, np.float64)):
                    net, x, y = make_problem(sizes, dtype)
                    tstep = torch_step_function(net.params, x, y, LR, torch)
                    m = paired(lambda: net.step(x, y, LR), tstep, repeats, clock)
                    record(f"step/PyTorch {name_of(sizes)} N={BATCH[sizes]} {np.dtype(dtype).name}",
                           "Network.step over the same step in PyTorch eager (autograd, same cost, "
                           "same update)", label, m)
                    m = paired(gemm_floor(net, x, y), torch_gemm_floor(net, x, y, torch), repeats, clock)
                    record(f"products NumPy/PyTorch {name_of(sizes)} N={BATCH[sizes]} {np.dtype(dtype).name}",
                           "the step's matrix products (gemm_floor) in NumPy over the same products "
                           "in PyTorch, each with its own BLAS (no target: it separates the BLAS "
                           "from the rest of the step/PyTorch ratio)", label, m)
                net = learner_network()
                xl, yl = (v.astype(np.float64) for v in learner_data())
                tstep = torch_step_function(net.params, xl, yl, 1.0, torch)
                m = paired(lambda: net.step(xl, yl, 1.0), tstep, repeats, clock)
                record("step/PyTorch learner 3-4-1 N=4 float64",
                       "Network.step over the same step in PyTorch eager, on the learner's network",
                       label, m)

    print("\n-- peak memory of one step (tracemalloc), 1 thread", flush=True)
    memory = []
    with threadpool_limits(limits=1):
        for sizes in (SMALL, LARGE):
            for dtype in (np.float32, np.float64):
                net, x, y = make_problem(sizes, dtype)
                mem = peak_memory(net, x, y)
                name = f"memory {name_of(sizes)} N={BATCH[sizes]} {np.dtype(dtype).name}"
                m = {"ratio": mem["peak_bytes"] / mem["minimum_bytes"],
                     "strict_ratio": mem["peak_bytes"] / mem["strict_minimum_bytes"], **mem}
                record(name, "peak bytes during Network.step over the minimum it must hold: weights, "
                       "batch, and what its forward and backward hand back (z, a, delta, dW, db)",
                       1, m)
                print(f"  {'':<44} {'':>7}      strict: {m['strict_ratio']:.3f}x of weights + batch + "
                      f"dW, db + a only (information)", flush=True)
                memory.append(name)

    print("\n-- dtypes", flush=True)
    dtypes = {}
    for dtype in (np.float32, np.float64):
        ok, wrong = dtype_kept(dtype)
        dtypes[np.dtype(dtype).name] = ok
        print(f"  {np.dtype(dtype).name}: parameters, cache and gradients keep it: "
              f"{'holds' if ok else 'DOES NOT HOLD ' + str(wrong)}", flush=True)
    return entries, dtypes, torch, torch_reason, breakdown, faults


def verdicts(entries, torch_reason):
    """One line per target of STEP_TARGETS: its 1-thread lines, and whether each holds or misses."""
    lines = []
    for prefix, (comparison, target) in STEP_TARGETS.items():
        lines_of = [e for e in entries if e["threads"] == "1" and e["name"].startswith(prefix)]
        if not lines_of:
            lines.append(f"  {prefix.strip()} {comparison} {target}: not measured ({torch_reason})")
            continue
        held = [e for e in lines_of if e["holds"]]
        worst = (max if comparison == "<=" else min)(e["ratio"] for e in lines_of)
        word = "holds" if len(held) == len(lines_of) else "misses"
        of = f" ({len(held)} of {len(lines_of)} lines)" if len(lines_of) > 1 else ""
        lines.append(f"  {prefix.strip()} {comparison} {target}: {word}{of}, "
                     f"{'worst' if len(lines_of) > 1 else 'measured'} {worst:.3f}")
    return lines


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit():
    """The commit of the package measured (a worktree of an older commit gives that commit)."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(backprop.__file__).parent,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21, help="repeats per ratio (default 21)")
    parser.add_argument("--quick", action="store_true", help="3 repeats: a smoke test, not a measurement")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    parser.add_argument("--no-typeset", action="store_true",
                        help="skip benchmarks/typeset_time.py (navigation to math shown per page, in a browser)")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats

    blas_env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    print(f"backprop benchmarks: {cpu_model()}, {os.cpu_count()} cores, numpy {np.__version__}, "
          f"python {platform.python_version()}")
    for lib in threadpool_info():
        print(f"  {lib['internal_api']} {lib['version']} kernel {lib.get('architecture')} "
              f"threads {lib['num_threads']} ({Path(lib['filepath']).name})")
    if blas_env:
        print(f"  note: {blas_env} is set; it can slow the BLAS (unset both for this command only)")

    started = time.perf_counter()
    load_before = os.getloadavg()
    entries, dtypes, torch, torch_reason, breakdown, faults = run(repeats, args.quick)
    load_after = os.getloadavg()
    print("\n-- targets at 1 thread")
    for line in verdicts(entries, torch_reason):
        print(line)
    print(f"dtypes kept: {'all' if all(dtypes.values()) else dtypes}; "
          f"{time.perf_counter() - started:.0f} s; load average (1, 5, 15 min) "
          f"{', '.join(f'{v:.1f}' for v in load_before)} before, "
          f"{', '.join(f'{v:.1f}' for v in load_after)} after")

    results = {
        "schema": 2,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "package": str(Path(backprop.__file__).parent),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "platform": platform.platform()},
        "load_average": {"before": [round(v, 2) for v in load_before],
                         "after": [round(v, 2) for v in load_after]},
        "targets": {prefix.strip(): list(t) for prefix, t in STEP_TARGETS.items()},
        "verdicts": verdicts(entries, torch_reason),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "torch_skipped": torch_reason,
        "blas": threadpool_info(),
        "blas_environment": blas_env,
        "repeats": repeats,
        "seconds": round(time.perf_counter() - started, 1),
        "quick": args.quick,
        "gemm_floor": GEMM_FLOOR,
        "dtypes_kept": dtypes,
        "entries": entries,
        "parts": dict(PARTS),
        "breakdown": breakdown,
        "page_faults_per_step": faults,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.output}")

    typeset = Path(__file__).resolve().parent / "typeset_time.py"
    if typeset.is_file() and not args.no_typeset:
        print("\n-- navigation to math shown per page (benchmarks/typeset_time.py)", flush=True)
        done = subprocess.run([sys.executable, str(typeset)], cwd=ROOT)
        if done.returncode:
            print(f"  typeset_time.py exited with {done.returncode}; the ratios above are unaffected")


if __name__ == "__main__":
    main()
