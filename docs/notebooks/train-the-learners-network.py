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
# # Training the learner's network
#
# The learner's 3-4-1 sigmoid network, its four XOR samples and its starting weights
# (`np.random.seed(1)`), trained for 1000 steps of full-batch gradient descent with learning
# rate $\gamma = 1$, exactly as in the question. Each step is
#
# $$
# W^{[l]} \leftarrow W^{[l]} - \gamma \, (a^{[l-1]})^\top \delta^{[l]},
# $$
#
# with the cost $C = \frac{1}{2} \sum_{n} (a^{[2]}_{n} - y_{n})^2$ summed over the batch. The
# site runs this notebook at every build: every number and plot below comes from that run.

# %%
import numpy as np

from backprop import learner_data, learner_network

x, y = learner_data()    # x: (4, 3), last column all ones; y: (4, 1), XOR
net = learner_network()  # W1: (3, 4), W2: (4, 1), no biases
before = net.predict(x)[:, 0]
history = net.train(x, y, lr=1.0, iterations=1000)  # C before each step
outputs = net.predict(x)[:, 0]

np.set_printoptions(precision=3, floatmode="fixed")   # 0.090, not 0.09
print("targets y:               ", y[:, 0])
print("outputs before training: ", before)
print("outputs after 1000 steps:", outputs)

# %% [markdown]
# After 1000 steps the outputs are the four numbers the learner's own script printed: the
# network has learned XOR.
#
# ## The cost curve
#
# The cost falls in four phases. A quick drop in the first few steps: the four outputs start
# close together (printed above) and are pulled, together, towards 0.5, the best single answer
# for two 0s and two 1s. A long plateau, where all four outputs sit near 0.5. A steep fall once
# the hidden units start to tell the XOR cases apart. And a slow tail, as the outputs approach
# 0 and 1 and $\sigma'(z) = a(1-a)$ shrinks. The numbers:

# %%
# C when every output is 0.5: the best answer that ignores the input
C_half = 0.5 * np.sum((0.5 - y) ** 2)
on_plateau = np.flatnonzero(np.abs(history - C_half) < 0.01 * C_half)
plateau_end = on_plateau[-1]
# the largest fall in one step, after the plateau
steepest = plateau_end + int(np.argmin(np.diff(history[plateau_end:])))
plateau_net = learner_network()
plateau_net.train(x, y, lr=1.0, iterations=100)

print(f"cost before the first step:    {history[0]:.4f}")
print(f"cost when every output is 0.5: {C_half:.4f}")
print(f"within 1% of it:               steps {on_plateau[0]} to "
      f"{plateau_end}")
print("outputs after 100 steps:      ", plateau_net.predict(x)[:, 0])
print(f"steepest fall after that:      at step {steepest}")
print(f"cost after 1000 steps:         {net.cost_value(x, y):.4f}")

# %% [markdown]
# The same run, drawn on a logarithmic scale:

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt

plt.rcParams["svg.fonttype"] = "none"

fig, ax = plt.subplots(figsize=(4.8, 3.2))
ax.plot(history, color="tab:blue")
ax.axhline(C_half, color="black", linewidth=0.8, linestyle=":")
ax.axvspan(on_plateau[0], plateau_end, color="tab:gray", alpha=0.2,
           label="plateau: C within 1% of 0.5")
ax.axvline(steepest, color="#d55e00", linestyle="--",
           label=f"steepest fall, step {steepest}")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("cost C (sum over 4 samples)")
ax.set_title("The learner's network, γ = 1")
ax.legend(loc="lower left")
plt.show()

# %% [markdown]
# ## The decision surface
#
# The trained network is a function of the first two inputs (the third is always 1, acting as
# a bias). Evaluated on a grid over $[-0.5, 1.5]^2$, its output shows how it separates the two
# XOR classes; at the four training points it gives the outputs printed at the top.

# %%
grid = np.linspace(-0.5, 1.5, 101)
g1, g2 = np.meshgrid(grid, grid)
inputs = np.column_stack([g1.ravel(), g2.ravel(), np.ones(g1.size)])
surface = net.predict(inputs).reshape(g1.shape)   # (101, 101)

# %%
fig, ax = plt.subplots(figsize=(4.4, 3.6))
image = ax.contourf(g1, g2, surface, levels=np.linspace(0, 1, 11),
                    cmap="coolwarm", alpha=0.8)
ax.contour(g1, g2, surface, levels=[0.5], colors="black", linewidths=1)
ax.scatter(x[:, 0], x[:, 1], c=y[:, 0], cmap="coolwarm", vmin=0, vmax=1,
           s=120, edgecolors="black")
fig.colorbar(image, ax=ax, label="output $a^{[2]}$")
ax.set_xlabel("$x_1$")
ax.set_ylabel("$x_2$")
ax.set_title("Output after 1000 steps; line: 0.5")
plt.show()

# %% [markdown]
# ## How the weights moved
#
# Each step changes $W^{[2]}$ by $-\gamma (a^{[1]})^\top \delta^{[2]}$: one column of four
# numbers, one per hidden unit, each the sum over the four samples of that unit's activation
# times the output's $\delta^{[2]}$; and $W^{[1]}$ by $-\gamma (a^{[0]})^\top \delta^{[1]}$.
# With $\gamma = 1$ the size of each update is the size of the gradient. The same run again,
# recording both sizes at every step:

# %%
net = learner_network()
sizes = {"W1": np.zeros(1000), "W2": np.zeros(1000)}
for step in range(1000):
    grads = net.gradients(x, y)
    for name in sizes:   # the Frobenius norm of dC/dW
        sizes[name][step] = np.linalg.norm(grads["d" + name])
    net.step(x, y, lr=1.0)

later = {name: 100 + int(np.argmax(norms[100:]))
         for name, norms in sizes.items()}
print("size of    step 0   step 100   largest after step 100")
for name, norms in sizes.items():
    print(f"dC/d{name}  {norms[0]:8.4f} {norms[100]:10.4f}   "
          f"{norms[later[name]]:.4f} at step {later[name]}")
print(f"(the cost falls fastest at step {steepest})")

# %%
fig, ax = plt.subplots(figsize=(4.8, 3.2))
ax.plot(sizes["W1"], color="tab:blue",
        label=r"size of $\partial C / \partial W^{[1]}$")
ax.plot(sizes["W2"], color="#d55e00",
        label=r"size of $\partial C / \partial W^{[2]}$")
ax.axvline(steepest, color="black", linewidth=0.8, linestyle=":")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("Frobenius norm")
ax.set_title("Gradient sizes during training")
ax.legend()
plt.show()

# %% [markdown]
# The biggest update is the very first, to $W^{[2]}$: it pulls the outputs down together. On
# the plateau both gradients are small. Both rise again in a second bump around the step where
# the cost falls fastest (the dotted line): that is when the hidden layer learns, through
# $(a^{[0]})^\top \delta^{[1]}$, to split the four samples, and the output layer learns to
# read them.
#
# **Takeaway:** the learner's network learns XOR in 1000 steps of
# $W^{[l]} \leftarrow W^{[l]} - \gamma\,(a^{[l-1]})^\top \delta^{[l]}$, and the cost curve's
# phases are visible in the size of that product.
