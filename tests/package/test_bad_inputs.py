"""Every bad input is refused with a named error, and a failed call changes nothing.

The explicit cases come from backprop_site.bad_inputs (the Testing page prints its table); the
property tests below search around them with Hypothesis: where the bad entry sits, how many
rows or columns too many, which bad number, which dtype, for every entry point.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import backprop as bp
from backprop_site.bad_inputs import ACCEPTED, ARRAY_SLOTS, CASES, SPOILS, Case, World, spoiled

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_refused(case, world=None):
    """``case.call`` raises ``case.error`` naming ``case.argument``; no array changed."""
    world = world or World(case.dtype)
    if case.spoil is not None:
        case.spoil(world)
    before = world.snapshot()
    with pytest.raises(case.error) as raised:
        case.call(world)
    message = str(raised.value)
    assert case.argument in message, f"{case.entry}: the message does not name {case.argument!r}: {message}"
    after = world.snapshot()
    for name in before:
        assert after[name] == before[name], f"{case.entry} changed {name} although it raised: {message}"


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c.entry}-{c.argument}-{c.input}" for i, c in enumerate(CASES)])
def test_each_bad_input_is_refused_and_changes_nothing(case):
    assert_refused(case)


@pytest.mark.parametrize("edge", ACCEPTED, ids=[f"{e.entry}-{e.input}" for e in ACCEPTED])
def test_each_accepted_edge_input_works(edge):
    world = World()
    result = edge.call(world)
    assert edge.check(result, world), f"{edge.entry} accepted {edge.input} but gave {result!r}"


def test_the_table_covers_every_public_entry_point():
    covered = {case.entry.split("(")[0].split(".")[0] for case in CASES} | \
        {edge.entry.split(".")[0] for edge in ACCEPTED}
    methods = {case.entry for case in CASES} | {edge.entry for edge in ACCEPTED}
    exported = set(bp.__all__)
    # result classes and the learner's helpers take no arguments to spoil
    no_arguments = {"GradientCheckResult", "ParameterCheck", "learner_data", "learner_network",
                    "learner_weights", "half_squared_error"}
    missing = exported - covered - no_arguments
    assert not missing, f"exported but never given a bad input: {sorted(missing)}"
    for method in ("forward", "backward", "gradients", "predict", "cost_value", "step", "train",
                   "from_sizes"):
        assert f"Network.{method}" in methods, f"Network.{method} is never given a bad input"
    for cls in ("Sigmoid", "Tanh", "ReLU", "Identity", "Softmax"):
        assert {f"{cls}().forward", f"{cls}().backward"} <= methods, cls
    for cls in ("HalfSquaredError", "BinaryCrossEntropy", "CategoricalCrossEntropy"):
        assert {f"{cls}()", f"{cls}().gradient"} <= methods, cls


# ---- property tests: Hypothesis searches the same input classes, anywhere in the array -------

@SETTINGS
@given(slot=st.sampled_from(ARRAY_SLOTS), spoil=st.sampled_from(SPOILS), k=st.integers(0, 10**6))
def test_bad_arrays_are_refused_wherever_the_fault_is(slot, spoil, k):
    assume(spoil.applies(slot))
    case = Case(spoil.input, slot.entry, slot.argument, spoil.error,
                lambda w: slot.call(w, spoiled(slot, spoil, slot.good(w), k)), slot.dtype)
    assert_refused(case)


@SETTINGS
@given(slot=st.sampled_from(ARRAY_SLOTS), shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0),
       data=st.data())
def test_arrays_of_any_shape_are_refused_unless_they_fit(slot, shape, data):
    """Any shape other than the valid one is refused by every 2-D argument that fixes its shape."""
    world = World(slot.dtype)
    good = np.asarray(slot.good(world))
    assume(shape != good.shape and (slot.ndim or 0 in shape))
    assume(slot.width and slot.rows or len(shape) != 2 or 0 in shape)
    value = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    assert_refused(Case("shape", slot.entry, slot.argument, ValueError, lambda w: slot.call(w, value),
                        slot.dtype), world)


BAD_DTYPES = st.sampled_from(["U3", "S3", "complex64", "complex128", "O", "M8[s]", "m8[s]"])


@SETTINGS
@given(slot=st.sampled_from(ARRAY_SLOTS), dtype=BAD_DTYPES)
def test_arrays_of_non_real_dtypes_are_type_errors(slot, dtype):
    world = World(slot.dtype)
    good = np.asarray(slot.good(world))
    value = np.zeros(good.shape, dtype=dtype) if dtype != "O" else good.astype(object)
    if dtype == "O":
        value.flat[0] = "x"
    assert_refused(Case("dtype", slot.entry, slot.argument, TypeError, lambda w: slot.call(w, value),
                        slot.dtype), world)


REAL_SLOTS = {  # argument: (low, low allowed, calls)
    "lr": (0.0, True, [lambda w, v: w.net.step(w.x, w.y, v), lambda w, v: w.net.train(w.x, w.y, v, 2)]),
    "eps": (0.0, False, [lambda w, v: bp.numerical_gradient(w.cost, w.arrays, eps=v),
                         lambda w, v: bp.check_gradients(w.cost, w.arrays, w.grads, eps=v)]),
    "rtol": (0.0, True, [lambda w, v: bp.check_gradients(w.cost, w.arrays, w.grads, rtol=v)]),
    "atol": (0.0, True, [lambda w, v: bp.check_gradients(w.cost, w.arrays, w.grads, atol=v)]),
    "epsilon": (0.0, False, [lambda w, v: bp.BinaryCrossEntropy(v),
                             lambda w, v: bp.CategoricalCrossEntropy(v)]),
}

ANY_SCALAR = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**400, 10**400), st.booleans(),
    st.text(max_size=3), st.none(), st.complex_numbers(max_magnitude=10),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2)),
    st.floats(-10, 10).map(np.float32), st.floats(-10, 10).map(np.array),
    st.lists(st.floats(0, 1), max_size=2),
)


def expected_error(value, low, low_allowed):
    """The policy for a real scalar argument, written out: None if the value is accepted."""
    if isinstance(value, (bool, np.bool_)):
        return TypeError
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return TypeError
    try:
        number = float(value)
    except OverflowError:  # an int beyond float64
        number = math.inf
    if not math.isfinite(number) or number < low or (number == low and not low_allowed):
        return ValueError
    return None


@SETTINGS
@given(argument=st.sampled_from(sorted(REAL_SLOTS)), which=st.integers(0, 1), value=ANY_SCALAR)
def test_real_scalars_follow_the_policy(argument, which, value):
    low, low_allowed, calls = REAL_SLOTS[argument]
    call = calls[which % len(calls)]
    error = None if argument == "atol" and value is None else expected_error(value, low, low_allowed)
    world = World()
    if error is None:
        if argument == "eps" and float(value) < 1e-10 or argument == "lr" and float(value) > 1e3:
            return  # a valid eps too small for W's entries, or a rate that diverges: other tests
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a huge but finite rate may overflow: that is allowed
            with np.errstate(all="ignore"):
                call(world, value)
        return
    assert_refused(Case("scalar", "", argument, error, lambda w: call(w, value)), world)


@SETTINGS
@given(value=ANY_SCALAR)
def test_iterations_follow_the_policy(value):
    world = World()
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        if value < 0:
            assert_refused(Case("", "", "iterations", ValueError,
                                lambda w: w.net.train(w.x, w.y, 0.1, value)), world)
        return  # valid counts: test_bad_inputs' accepted cases and test_errors run them
    assert_refused(Case("", "", "iterations", TypeError, lambda w: w.net.train(w.x, w.y, 0.1, value)), world)


@SETTINGS
@given(sizes=st.lists(st.integers(-2, 4), min_size=1, max_size=4), bias=st.booleans(),
       dtype=st.sampled_from([np.float16, np.float32, np.float64, np.longdouble]))
def test_network_params_accept_exactly_what_from_sizes_accepts(sizes, bias, dtype):
    """Weights of the shapes ``sizes`` gives, handed to Network: refused exactly when
    from_sizes refuses the sizes, with the same kind of error."""
    try:
        bp.Network.from_sizes(sizes, np.random.default_rng(0), bias=bias, dtype=dtype)
        from_sizes_error = None
    except (TypeError, ValueError) as error:
        from_sizes_error = type(error)
    if len(sizes) < 2:
        return  # no weights to build
    params = {}
    for l in range(1, len(sizes)):
        shape = (max(sizes[l - 1], 0), max(sizes[l], 0))
        params[f"W{l}"] = np.full(shape, 0.5, dtype=dtype)
        if bias:
            params[f"b{l}"] = np.zeros((1, shape[1]), dtype=dtype)
    try:
        bp.Network(params)
        params_error = None
    except (TypeError, ValueError) as error:
        params_error = type(error)
    assert params_error == from_sizes_error, (sizes, params_error, from_sizes_error)


@SETTINGS
@given(array=hnp.arrays(st.sampled_from([np.float64, np.float32, np.int64, np.bool_]),
                        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0)),
       writeable=st.booleans(), as_list=st.booleans())
def test_numerical_gradient_and_check_gradients_accept_the_same_arrays(array, writeable, as_list):
    array.flags.writeable = writeable
    value = array.tolist() if as_list else array
    outcomes = []
    for check in (lambda: bp.numerical_gradient(lambda: 0.0, {"W": value}),
                  lambda: bp.check_gradients(lambda: 0.0, {"W": value}, {"W": np.zeros(np.shape(value))})):
        try:
            check()
            outcomes.append(None)
        except (TypeError, ValueError) as error:
            assert "W" in str(error), str(error)
            outcomes.append(type(error))
    assert outcomes[0] == outcomes[1], f"numerical_gradient: {outcomes[0]}, check_gradients: {outcomes[1]}"


# ---- numerics: quiet for every finite input of every floating dtype ----------------------------

FLOATS = [np.float16, np.float32, np.float64, np.longdouble]


def finite(dtype, low=None, high=None, shape=None):
    """2-D arrays of ``dtype`` whose entries span its whole finite range (longdouble: float64's),
    of any shape up to 4 x 4, or of ``shape``."""
    width = {np.float16: 16, np.float32: 32}.get(dtype, 64)
    largest = float(np.finfo(np.float64 if width == 64 else dtype).max)
    low = -largest if low is None else low
    high = largest if high is None or high > largest else high
    return hnp.arrays(dtype, shape or hnp.array_shapes(min_dims=2, max_dims=2, max_side=4),
                      elements=st.floats(low, high, width=width))


def loudly(function, *args):
    """Call under np.seterr(all="raise") with every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            return function(*args)


@SETTINGS
@given(dtype=st.sampled_from(FLOATS), data=st.data(),
       name=st.sampled_from(["sigmoid", "tanh", "relu", "identity", "softmax"]))
def test_activations_and_their_derivatives_are_quiet(dtype, name, data):
    z = data.draw(finite(dtype))
    f = bp.get_activation(name)
    a = loudly(f.forward, z)
    assert a.dtype == dtype and a.shape == z.shape
    dC_da = data.draw(finite(dtype, shape=z.shape) | finite(dtype).map(lambda g: np.resize(g, z.shape)))
    delta = loudly(f.backward, a, dC_da)
    assert delta.dtype == dtype and delta.shape == z.shape
    if name == "sigmoid":
        loudly(bp.sigmoid_derivative, a)
        loudly(bp.sigmoid_derivative_from_z, z)
        assert np.all((a >= 0) & (a <= 1)), a


@SETTINGS
@given(dtype=st.sampled_from(FLOATS), data=st.data(),
       name=st.sampled_from(["half_squared_error", "binary_cross_entropy", "categorical_cross_entropy"]))
def test_costs_and_their_gradients_are_quiet(dtype, name, data):
    cost = bp.get_cost(name)
    a = data.draw(finite(dtype, *(cost.a_range or (None, None))))
    y = data.draw(finite(dtype, *(cost.y_range or (None, None))).map(lambda g: np.resize(g, a.shape)))
    value = loudly(cost, a, y)
    assert isinstance(value, float)
    gradient = loudly(cost.gradient, a, y)
    assert gradient.shape == a.shape


def test_sigmoid_keeps_its_exact_limits_without_a_sound():
    for dtype in FLOATS:
        big = np.finfo(dtype).max
        z = np.array([[-big, 0.0, 1e4, big]], dtype=dtype)  # exp(-1e4) underflows in every dtype
        a = loudly(bp.sigmoid, z)
        assert a[0, 0] == 0 and a[0, 1] == 0.5 and a[0, 2] == 1 and a[0, 3] == 1, a


def test_the_callers_floating_point_settings_are_left_as_they_were():
    net, (x, y) = bp.learner_network(), bp.learner_data()
    for settings_ in ({"all": "raise"}, {"all": "warn"}, {"under": "raise", "over": "ignore"}):
        with np.errstate(**settings_):
            callers = np.geterr()
            bp.sigmoid_derivative_from_z(np.array([1.0, 800.0]))
            bp.Softmax().backward(bp.Softmax().forward(np.ones((2, 3))), np.ones((2, 3)))
            bp.BinaryCrossEntropy().gradient(np.full((2, 1), 0.5), np.ones((2, 1)))
            net.gradients(x, y)
            net.train(x, y, 1.0, 2)
            assert np.geterr() == callers, f"{np.geterr()} after the calls, {callers} before"


def test_underflow_is_not_divergence():
    # z of about 3000 in every unit: exp(-z) underflows to 0 at every step, which is harmless
    net = bp.Network({"W1": np.full((3, 2), 1000.0)}, activations="sigmoid")
    x, y = np.ones((4, 3)), np.ones((4, 2))
    with np.errstate(all="raise"):
        history = net.train(x, y, 0.1, 5)
    assert history.shape == (5,) and np.all(history == 0), history


def test_cost_objects_refuse_to_broadcast():
    a, y = np.full((4, 1), 0.5), np.ones(4)
    for cost in (bp.HalfSquaredError(), bp.BinaryCrossEntropy(), bp.CategoricalCrossEntropy()):
        with pytest.raises(ValueError, match=r"y must be 2-D"):
            cost(a, y)
        with pytest.raises(ValueError, match=r"a has shape \(4, 1\) but y has shape \(1, 4\)"):
            cost.gradient(a, y.reshape(1, 4))


# ---- a failed call changes nothing, also when the failure comes mid-way -----------------------

def params_bytes(net):
    return {name: value.tobytes() for name, value in net.params.items()}


@pytest.mark.parametrize("errstate", [{}, {"all": "raise"}, {"all": "ignore"}], ids=str)
def test_a_step_that_overflows_half_way_changes_nothing(errstate):
    # The cost (24) is finite, W1's update fits (lr * dW1 = 1.2e201), W2's overflows (lr * dW2
    # = 2.4e401): the step refuses, whatever NumPy's error state (which does nothing in
    # Pyodide), and W1 must not have been written already
    net = bp.Network({"W1": np.full((2, 2), 1e100), "W2": np.full((2, 1), 1e-100)}, activations="identity")
    x, y = np.ones((3, 2)), np.zeros((3, 1))
    before = params_bytes(net)
    with np.errstate(**errstate), pytest.raises(FloatingPointError, match=r"W2 - lr \* dW2"):
        net.step(x, y, 1e300)
    assert params_bytes(net) == before


def test_a_diverging_train_restores_the_parameters():
    rng = np.random.default_rng(0)
    net = bp.Network.from_sizes([2, 2], rng, activations="identity")
    x, y = rng.normal(size=(8, 2)) * 10, rng.normal(size=(8, 2))
    before = params_bytes(net)
    with pytest.raises(FloatingPointError, match="as they were before train"):
        net.train(x, y, lr=10.0, iterations=1000)
    assert params_bytes(net) == before


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt, SystemExit])
def test_a_callback_that_raises_restores_the_parameters(interruption):
    # Ctrl-C in a callback (KeyboardInterrupt) or sys.exit (SystemExit) are not Exceptions,
    # and must restore as any other raise does
    net = bp.learner_network()
    x, y = bp.learner_data()
    before = params_bytes(net)
    arrays = dict(net.params)

    def callback(i, cost, network):
        if i == 3:
            network.params["W1"] = network.params["W1"] * 2  # rebound, not only written
            raise interruption("stop")

    with pytest.raises(interruption, match="stop"):
        net.train(x, y, 1.0, 10, callback=callback)
    assert params_bytes(net) == before
    assert all(net.params[name] is arrays[name] for name in arrays), "the caller's arrays are bound again"


def test_a_nan_learning_rate_is_refused_before_anything_changes():
    net = bp.learner_network()
    x, y = bp.learner_data()
    before = params_bytes(net)
    for lr in (np.nan, np.inf, -1.0, np.array([1.0, 2.0])):
        with pytest.raises((ValueError, TypeError), match="lr"):
            net.step(x, y, lr)
        with pytest.raises((ValueError, TypeError), match="lr"):
            net.train(x, y, lr, 10)
    assert params_bytes(net) == before
