# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # What the hidden width changes
#
# The learner's hidden layer has 4 units, the same number as the batch has samples (which is why
# some wrong updates ran without a shape error). What does the width do? Each hidden unit
# $j$ computes $a^{1}_{j} = \sigma(x\, W^{1}_{:, j})$, a soft step across one line in the input
# plane; the output combines these steps. More units, more lines to combine. This notebook is
# executed at every build of the site.

# %%
import matplotlib.pyplot as plt
import numpy as np

from backprop import Network, learner_data

# %% [markdown]
# ## XOR: how often does training succeed?
#
# The learner's data and cost, random starting weights (6 seeds per width), 600 steps with
# $\eta = 4$. A run "solves" XOR when every output is within 0.4 of its target. One hidden unit
# can never solve it: the output is then a monotone function of a single line's side, and XOR
# needs two lines.

# %%
x, y = learner_data()   # x (4, 3), third column of ones; y (4, 1)
widths, seeds = [1, 2, 3, 4, 8], range(6)
solved = {}
for n in widths:
    solved[n] = 0
    for seed in seeds:
        net = Network.from_sizes([3, n, 1], np.random.default_rng(seed), bias=False)
        net.train(x, y, lr=4.0, iterations=600)
        solved[n] += bool(np.all(np.abs(net.predict(x) - y) < 0.4))
    print(f"width {n}: solved {solved[n]} of {len(seeds)}")

fig, ax = plt.subplots(figsize=(5, 3))
ax.bar([str(n) for n in widths], [solved[n] for n in widths])
ax.set_xlabel("hidden units")
ax.set_ylabel(f"runs solving XOR (of {len(seeds)})")
ax.set_title(f"XOR solved within 600 steps, {len(seeds)} random starts per width")
plt.show()

assert solved[1] == 0, "one hidden unit cannot represent XOR"
assert solved[8] >= solved[2], "wider is at least as reliable here"
assert solved[2] < len(seeds), "two units can represent XOR but do not always find it"

# %% [markdown]
# Two units are enough to *represent* XOR, yet the counts above show that they do not always *find*
# it from a random start within 600 steps; extra units give gradient descent more lines to start
# from, and more runs succeed.

# %% [markdown]
# ## A round region: what each width can draw
#
# 120 random points in the square $[-1, 1]^2$, labelled 1 inside the circle $x_1^2 + x_2^2 < 0.5$.
# A network with a tanh hidden layer, a sigmoid output and binary cross-entropy (see
# [other losses and activations](../../beyond/losses-and-activations/)), 2000 steps. With one unit
# the boundary is a single line; two units make a band or a wedge; three a rounded triangle;
# eight, a round region.

# %%
rng = np.random.default_rng(0)
points = rng.uniform(-1, 1, size=(120, 2))                                   # (N, 2)
labels = (np.sum(points**2, axis=1, keepdims=True) < 0.5).astype(float)     # (N, 1)
grid = np.linspace(-1, 1, 81)
g1, g2 = np.meshgrid(grid, grid)
plane = np.column_stack([g1.ravel(), g2.ravel()])

accuracy = {}
fig, axes = plt.subplots(2, 2, figsize=(7.5, 7.5))
for ax, n in zip(axes.ravel(), [1, 2, 3, 8]):
    net = Network.from_sizes([2, n, 1], np.random.default_rng(1), activations=["tanh", "sigmoid"],
                             cost="binary_cross_entropy")
    history = net.train(points, labels, lr=0.05, iterations=2000)
    accuracy[n] = np.mean((net.predict(points) > 0.5) == labels)
    surface = net.predict(plane).reshape(g1.shape)
    ax.contourf(g1, g2, surface, levels=np.linspace(0, 1, 11), cmap="coolwarm")
    ax.contour(g1, g2, surface, levels=[0.5], colors="black", linewidths=1)
    ax.scatter(points[:, 0], points[:, 1], c=labels[:, 0], cmap="coolwarm", edgecolors="black", s=14)
    ax.set_title(f"{n} hidden: accuracy {accuracy[n]:.2f}")
    ax.set_aspect("equal")
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
fig.suptitle("Network output (colour) and its 0.5 boundary (black), by hidden width")
fig.tight_layout()
plt.show()

print({n: round(float(a), 3) for n, a in accuracy.items()})
assert accuracy[8] == 1.0, f"eight units separate the circle: {accuracy[8]}"
assert accuracy[1] < accuracy[8], "one line cannot enclose a circle"

# %% [markdown]
# The backward pass did not change with the width: for every width, $\partial C / \partial W^{1} =
# (a^{0})^\top \delta^{1}$ is a $(2, n)$ matrix, one column per hidden unit, and each column only
# moves that unit's line. What the width changes is how many lines the output can combine.
#
# **Takeaway:** the width changes what the network can draw and how reliably training finds it,
# not the rule for its gradients.
