"""backprop: a small NumPy implementation of backpropagation in the row convention.

``z^l = a^{l-1} W^l + b^l``, ``a^l = f(z^l)``, ``delta^l = dC/dz^l`` and
``dC/dW^l = (a^{l-1})^T delta^l``. Core modules need nothing but NumPy.
"""

from .activations import (Identity, ReLU, Sigmoid, Softmax, Tanh, get_activation, sigmoid,
                          sigmoid_derivative, sigmoid_derivative_from_z)
from .diagnose import diagnose
from .costs import BinaryCrossEntropy, CategoricalCrossEntropy, HalfSquaredError, get_cost, half_squared_error
from .gradient_check import GradientCheckResult, ParameterCheck, check_gradients, numerical_gradient
from .layer import dense_backward, dense_forward
from .learner import learner_data, learner_network, learner_weights
from .network import Network

__all__ = [
    "Network",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "Identity",
    "Softmax",
    "HalfSquaredError",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "GradientCheckResult",
    "ParameterCheck",
    "check_gradients",
    "diagnose",
    "dense_backward",
    "dense_forward",
    "get_activation",
    "get_cost",
    "half_squared_error",
    "learner_data",
    "learner_network",
    "learner_weights",
    "numerical_gradient",
    "sigmoid",
    "sigmoid_derivative",
    "sigmoid_derivative_from_z",
]
# The one place the version is written: pyproject.toml reads it, CHANGELOG.md describes it, and
# the release workflow publishes only a tag v<this>.
__version__ = "0.1.0"
