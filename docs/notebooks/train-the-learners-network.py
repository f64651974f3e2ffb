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
# (`np.random.seed(1)`), trained for 1000 steps of full-batch gradient descent with learning rate 1,
# exactly as in the question. Each step is
#
# $$
# W^{l} \leftarrow W^{l} - \eta \, (a^{l-1})^\top \delta^{l},
# $$
#
# with the cost $C = \frac{1}{2} \sum_{n} (a^{2}_{n} - y_{n})^2$ summed over the batch. This
# notebook is executed every time the site is built: every number and figure below comes from that run.

# %%
import matplotlib.pyplot as plt
import numpy as np

from backprop import learner_data, learner_network

x, y = learner_data()          # x (4, 3), third column all ones; y (4, 1) = XOR of the first two
net = learner_network()        # W1 (3, 4), W2 (4, 1), no biases
print("outputs before training: ", " ".join(f"{v:.3f}" for v in net.predict(x)[:, 0]))
history = net.train(x, y, lr=1.0, iterations=1000)

outputs = net.predict(x)[:, 0]
print("outputs after 1000 steps:", " ".join(f"{v:.3f}" for v in outputs))
print(f"cost: {history[0]:.4f} before the first step, {history[-1]:.4f} before the last")
# the learner's script prints [[0.028] [0.925] [0.925] [0.090]]
np.testing.assert_allclose(outputs, [0.028, 0.925, 0.925, 0.090], atol=5e-4)

# %% [markdown]
# ## The cost curve
#
# The curve has four phases. A quick drop in the first few steps: the four outputs start close
# together (printed above) and are pulled, together, towards 0.5, the best single answer for two 0s
# and two 1s. A long plateau, where all four outputs sit near 0.5 and every $\delta$ is small. A steep
# fall once the hidden units start to tell the XOR cases apart (the step where the cost falls fastest
# is printed below the plot). And a slow tail, as the outputs approach 0 and 1 and
# $\sigma'(z) = a(1-a)$ shrinks.

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(np.arange(len(history)), history)
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("cost C (sum over the 4 samples)")
ax.set_title("The learner's network, learning rate 1")
ax.grid(True, which="both", alpha=0.3)
plt.show()
assert np.all(np.diff(history) < 0), "with learning rate 1 the cost falls at every step"

steepest = 20 + int(np.argmin(np.diff(history)[20:]))   # after the first quick drop
print(f"after the first steps, the cost falls fastest at step {steepest}")
plateau = learner_network()
plateau.train(x, y, lr=1.0, iterations=100)
print("outputs after 100 steps:", " ".join(f"{v:.3f}" for v in plateau.predict(x)[:, 0]))
np.testing.assert_allclose(plateau.predict(x)[:, 0], 0.5, atol=0.05, err_msg="on the plateau")
assert 100 < steepest < len(history) - 100, f"the steep fall is after the plateau: step {steepest}"

# %% [markdown]
# ## The decision surface
#
# The trained network is a function of the first two inputs (the third is always 1, acting as a
# bias). Evaluated on a grid over $[-0.5, 1.5]^2$, its output shows how it separates the two XOR
# classes: the four training points sit in regions of their own colour.

# %%
grid = np.linspace(-0.5, 1.5, 101)
g1, g2 = np.meshgrid(grid, grid)
inputs = np.column_stack([g1.ravel(), g2.ravel(), np.ones(g1.size)])   # (101*101, 3)
surface = net.predict(inputs).reshape(g1.shape)

fig, ax = plt.subplots(figsize=(4.5, 4))
image = ax.contourf(g1, g2, surface, levels=np.linspace(0, 1, 11), cmap="coolwarm")
ax.contour(g1, g2, surface, levels=[0.5], colors="black", linewidths=1)
ax.scatter(x[:, 0], x[:, 1], c=y[:, 0], cmap="coolwarm", edgecolors="black", s=120, vmin=0, vmax=1)
fig.colorbar(image, ax=ax, label="network output a2")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("Output after 1000 steps; black line: 0.5")
plt.show()

# the surface agrees with the training outputs at the four corners
corners = {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0}
for (i, j), label in corners.items():
    value = surface[np.argmin(abs(grid - j)), np.argmin(abs(grid - i))]
    assert (value > 0.5) == bool(label), f"corner {(i, j)}: output {value:.3f}, label {label}"

# %% [markdown]
# ## How the weights moved
#
# Each step changes $W^{2}$ by $-\eta (a^{1})^\top \delta^{2}$: one column of four numbers, one per
# hidden unit, each the sum over the four samples of that unit's activation times the output's
# $\delta$. With $\eta = 1$ the size of each update is the size of the gradient, plotted below.

# %%
net = learner_network()
update_sizes = {"W1": [], "W2": []}
for step in range(1000):
    grads = net.gradients(x, y)
    for name in update_sizes:
        update_sizes[name].append(np.linalg.norm(grads["d" + name]))
    net.step(x, y, lr=1.0)

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, sizes in update_sizes.items():
    ax.plot(sizes, label=f"size of dC/d{name}")
ax.set_xlabel("step")
ax.set_ylabel("size of the gradient (Frobenius norm)")
ax.set_title("Gradient sizes during training")
ax.legend()
ax.grid(True, alpha=0.3)
plt.show()
np.testing.assert_allclose(net.predict(x)[:, 0], outputs, rtol=1e-12)   # the same run as above

sizes = {name: np.array(values) for name, values in update_sizes.items()}
bump = {name: 20 + int(np.argmax(values[20:])) for name, values in sizes.items()}
print(f"largest gradient: W2 at step {np.argmax(sizes['W2'])}; after the first steps, "
      f"largest at step {bump['W1']} (W1) and {bump['W2']} (W2); cost steepest at step {steepest}")
assert np.argmax(sizes["W2"]) == 0 and sizes["W2"][0] > sizes["W1"][0], "the first steps move W2 most"
assert all(abs(step - steepest) < 50 for step in bump.values()), (bump, steepest)

# %% [markdown]
# The biggest update is the very first, to $W^{2}$: it pulls the outputs down together. On the
# plateau both gradients are small. Both then rise in a second bump around the steps where the
# cost falls fastest (printed above): that is when the hidden layer learns, through
# $(a^{0})^\top \delta^{1}$, to split the four samples, and the output layer learns to read them.
#
# **Takeaway:** the learner's network learns XOR in 1000 steps of $W^{l} \leftarrow W^{l} -
# \eta\,(a^{l-1})^\top \delta^{l}$, and the cost curve's phases are visible in the size of that
# product.
