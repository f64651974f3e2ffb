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
# # The learning rate, and a sum versus a mean over the batch
#
# The learner used a learning rate $\gamma = 1$ and a cost **summed** over the four samples,
# $C = \frac{1}{2} \sum_{n} (a^{[2]}_{n} - y_{n})^2$. Both choices set the size of every step
#
# $$
# W^{[l]} \leftarrow W^{[l]} - \gamma \, (a^{[l-1]})^\top \delta^{[l]},
# $$
#
# and they are tied together: $(a^{[l-1]})^\top \delta^{[l]}$ is a sum over the batch, so it
# grows with the number of samples. This notebook, executed at every build of the site, shows
# both effects on the learner's own network and data.

# %%
import numpy as np

from backprop import learner_data, learner_network

x, y = learner_data()   # x: (4, 3), y: (4, 1)

# %% [markdown]
# ## The learning rate
#
# The same starting weights, 1000 steps, six learning rates, each four times the one before
# (the package calls $\gamma$ `lr`):

# %%
rates = [0.25, 1, 4, 16, 64, 256]
curves, nets = {}, {}
for rate in rates:
    nets[rate] = learner_network()
    curves[rate] = nets[rate].train(x, y, lr=rate, iterations=1000)

print("targets y:", y[:, 0])
for rate, net in nets.items():
    outputs = " ".join(f"{v:.3f}" for v in net.predict(x)[:, 0])
    print(f"γ = {rate:<4}: cost {net.cost_value(x, y):.5f}, "
          f"outputs {outputs}")

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt

plt.rcParams["svg.fonttype"] = "none"
colours = ["tab:gray", "tab:blue", "tab:green", "#d55e00", "tab:purple",
           "tab:red"]   # each contrasts 3:1 or more with both themes

fig, ax = plt.subplots(figsize=(3.9, 3.2))
for rate, colour in zip(rates, colours):
    ax.plot(curves[rate], color=colour, label=f"γ = {rate}")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("cost C (sum over 4 samples)")
ax.set_title("The learner's network, six learning rates")
ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
plt.show()

# %% [markdown]
# Too small ($\gamma = 0.25$) and the cost has barely left the plateau at 0.5 after 1000
# steps; larger is faster, up to $\gamma = 16$. The two largest rates end far above: the first
# steps throw the network into a state it does not leave. Not the same state, though. Here is
# each sample of the two runs after 1000 steps: the output $a^{[2]}$, the sigmoid's slope there
# $\sigma'(z^{[2]}) = a^{[2]}(1 - a^{[2]})$, the output's $\delta^{[2]}$, and the largest
# hidden activation $a^{[1]}$ and hidden slope $\sigma'(z^{[1]})$ of that sample.

# %%
def print_table(title, columns, table):
    """table: (4, len(columns)), one row per sample. Three columns at
    most: a phone shows 45 characters of a cell's output line."""
    print(title)
    print("  sample" + "".join(f"{c:>12}" for c in columns))
    for n, row in enumerate(table, start=1):
        print(f"  {n:6}" + "".join(f"{v:12.3g}" for v in row))


for rate in (64, 256):
    cache = nets[rate].forward(x)
    grads = nets[rate].backward(cache, y)
    a1, a2 = cache["a1"], cache["a2"]
    slope1 = a1 * (1 - a1)
    print_table(f"γ = {rate}: the output layer",
                ["a2", "σ'(z2)", "delta2"],
                np.column_stack([a2, a2 * (1 - a2), grads["delta2"]]))
    print_table(f"γ = {rate}: the hidden layer",
                ["max a1", "max σ'(z1)"],
                np.column_stack([a1.max(axis=1), slope1.max(axis=1)]))

# %% [markdown]
# With $\gamma = 64$ three outputs sit at 0.5. That is not a saturated output: 0.5 is where
# the sigmoid is steepest, $\sigma'(z^{[2]}) = 0.25$, and $\delta^{[2]}$ is far from zero.
# What is zero is what $\delta^{[2]}$ is multiplied by. For those three samples every hidden
# activation $a^{[1]}$ is close to 0, so $z^{[2]} = a^{[1]} W^{[2]}$ is close to 0 (an output
# of 0.5) and their rows add nothing to $(a^{[1]})^\top \delta^{[2]}$; and
# $\delta^{[1]} = (\delta^{[2]} (W^{[2]})^\top) \odot \sigma'(z^{[1]})$ vanishes because
# $\sigma'(z^{[1]})$ does: it is the hidden units that are saturated, and neither weight matrix
# moves.
#
# With $\gamma = 256$ it is the other way round: the hidden units are near their steepest
# point, but every output is saturated near 0, so $\sigma'(z^{[2]})$ and with it
# $\delta^{[2]}$ are close to zero, and no gradient reaches either layer.
#
# ## A sum over the batch makes the step grow with the data
#
# Repeat the four samples $k$ times: the data say nothing new, but the summed gradient is
# exactly $k$ times larger, so with the same $\gamma$ the step is $k$ times larger too.
# Dividing by the number of samples $N$ (a **mean** cost, or equivalently $\gamma / N$ with
# the sum) removes the dependence: then every $k$ follows the same path.
#
# Below, "sum" uses $\gamma = 1$ for every $k$; "mean" uses $\gamma = 4 / N$, which equals the
# learner's $\gamma = 1$ when $N = 4$. The cost is shown per sample, $C / N$, so the runs can be
# compared with each other and with the runs above, whose cost per sample is $C / 4$.

# %%
copies = [1, 4, 16, 64, 256]
per_sample = {}
for k in copies:
    X, Y = np.tile(x, (k, 1)), np.tile(y, (k, 1))   # (4k, 3), (4k, 1)
    N = X.shape[0]
    for kind, rate in (("sum", 1.0), ("mean", 4.0 / N)):
        history = learner_network().train(X, Y, lr=rate, iterations=1000)
        per_sample[kind, k] = history / N   # C / N before each step

print("C / N at the last step, and the largest gap between the summed")
print("run and the run with γ = k above")
print("    k     N        sum       mean  largest gap")
for k in copies:
    sums, means = per_sample["sum", k], per_sample["mean", k]
    gap = np.max(np.abs(sums - curves[k] / 4))
    print(f"{k:5} {4 * k:5} {sums[-1]:10.5f} {means[-1]:10.5f}"
          f"{gap:13.1g}")

# %%
fig, ax = plt.subplots(figsize=(3.9, 3.2))
for k, colour in zip(copies, colours[1:]):
    ax.plot(per_sample["sum", k], color=colour,
            label=f"sum, N = {4 * k}")
for k in copies:   # the mean runs: one curve, drawn five times
    ax.plot(per_sample["mean", k], color="black", linestyle=":")
ax.plot([], color="black", linestyle=":", label="mean, every N")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("cost per sample C / N")
ax.set_title("The data repeated k times: sum (γ = 1) or mean")
ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
plt.show()

# %% [markdown]
# Each summed run is the run with $\gamma = k$ from the first plot, to rounding (the largest
# gap above): $N = 16$ and $N = 64$ are faster than the learner's $N = 4$, $N = 256$ gets stuck
# with saturated hidden units and $N = 1024$ with saturated outputs. The right learning rate
# depends on the amount of data. With the mean, the five runs are one curve. Neither is wrong,
# as long as the gradient is the derivative of the cost actually used: a mean cost with a
# summed gradient is a classic bug that the
# [gradient checker](../../beyond/check-your-gradients/) catches.
#
# **Takeaway:** with a cost summed over the batch, the step is $\gamma$ times a sum, so the
# right $\gamma$ shrinks as the data grow; a mean (or $\gamma / N$) makes it independent of
# $N$.
