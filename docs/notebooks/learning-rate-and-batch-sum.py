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
# The learner used a learning rate $\eta = 1$ and a cost **summed** over the four samples,
# $C = \frac{1}{2} \sum_{n} (a^{2}_{n} - y_{n})^2$. Both choices set the size of every step
#
# $$
# W^{l} \leftarrow W^{l} - \eta \, (a^{l-1})^\top \delta^{l},
# $$
#
# and they are tied together: $(a^{l-1})^\top \delta^{l}$ is a sum over the batch, so it grows with
# the number of samples. This notebook, executed at every build of the site, shows both effects on
# the learner's own network and data.

# %%
import matplotlib.pyplot as plt
import numpy as np

from backprop import learner_data, learner_network

x, y = learner_data()   # x (4, 3), y (4, 1)

# %% [markdown]
# ## The learning rate
#
# The same starting weights, 1000 steps, six learning rates. Too small and nothing happens in 1000
# steps; larger is faster, up to a point; too large and the first steps throw the sigmoids into
# saturation, where $\sigma'(z) = a(1-a) \approx 0$ and the network stops learning with three
# outputs stuck near 0.5.

# %%
rates = [0.1, 1, 3, 10, 30, 100]
curves, final = {}, {}
for lr in rates:
    net = learner_network()
    curves[lr] = net.train(x, y, lr=lr, iterations=1000)
    final[lr] = net.predict(x)[:, 0]
    print(f"lr {lr:5}: cost {curves[lr][-1]:.5f}, outputs", " ".join(f"{v:.3f}" for v in final[lr]))

fig, ax = plt.subplots(figsize=(6.5, 4))
for lr in rates:
    ax.plot(curves[lr], label=f"η = {lr}")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("cost C (sum over 4 samples)")
ax.set_title("The learner's network, six learning rates")
ax.legend(ncol=2)
ax.grid(True, which="both", alpha=0.3)
plt.show()

assert curves[10][-1] < curves[1][-1] < curves[0.1][-1], "up to 10, larger is faster"
assert curves[100][-1] > curves[1][-1], "100 is too large: it ends worse than 1"
for lr in (30, 100):   # too large: saturated, three outputs stuck near 0.5
    np.testing.assert_allclose(final[lr][1:], 0.5, atol=0.01, err_msg=f"lr {lr}")
np.testing.assert_allclose(final[1], [0.028, 0.925, 0.925, 0.090], atol=5e-4)   # the learner's run

# %% [markdown]
# ## A sum over the batch makes the step grow with the data
#
# Repeat the four samples $k$ times: the data say nothing new, but the summed gradient is exactly
# $k$ times larger, so with the same $\eta$ the step is $k$ times larger too. Dividing by the
# number of samples $N$ (a **mean** cost, or equivalently $\eta / N$ with the sum) removes the
# dependence: then every $k$ follows the same path.
#
# Below, "sum" uses $\eta = 1$ for every $k$; "mean" uses $\eta = 4 / N$, which equals the learner's
# $\eta = 1$ when $N = 4$. The cost is shown per sample, $C / N$, so the curves can be compared.

# %%
copies = [1, 10, 100]
per_sample = {}
for k in copies:
    X, Y = np.tile(x, (k, 1)), np.tile(y, (k, 1))   # (4k, 3), (4k, 1)
    N = X.shape[0]
    per_sample["sum", k] = learner_network().train(X, Y, lr=1.0, iterations=1000) / N
    per_sample["mean", k] = learner_network().train(X, Y, lr=4.0 / N, iterations=1000) / N

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for ax, kind in zip(axes, ["sum", "mean"]):
    for k in copies:
        ax.plot(per_sample[kind, k], label=f"N = {4 * k}", linestyle="-" if k == 1 else "--")
    ax.set_yscale("log")
    ax.set_title(f"{kind} over the batch" + (", η = 1" if kind == "sum" else ", η = 4/N"))
    ax.set_xlabel("step")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
axes[0].set_ylabel("cost per sample C / N")
plt.show()

for k in copies:
    print(f"N = {4 * k:3}: final cost per sample, sum {per_sample['sum', k][-1]:.5f}, "
          f"mean {per_sample['mean', k][-1]:.5f}")
# with a mean, repeating the data changes nothing (up to rounding)
for k in copies[1:]:
    np.testing.assert_allclose(per_sample["mean", k], per_sample["mean", 1], rtol=1e-9)
# with a sum, 100 copies act like eta = 100: stuck, as in the first experiment (equal up to
# rounding, which the saturated dynamics amplify to about 1e-8)
np.testing.assert_allclose(per_sample["sum", 100], curves[100] / 4, rtol=1e-6)
assert per_sample["sum", 10][-1] < per_sample["sum", 1][-1], "with a sum, N = 40 ends lower than N = 4"

# %% [markdown]
# With the sum, $N = 40$ happens to be faster than $N = 4$ (it acts like $\eta = 10$) and
# $N = 400$ gets stuck (like $\eta = 100$): the right learning rate depends on the amount of data.
# With the mean, it does not. Neither is wrong, as long as the gradient is the derivative of the
# cost actually used: a mean cost with a summed gradient is a classic bug that the
# [gradient checker](../../beyond/check-your-gradients/) catches.
#
# **Takeaway:** with a cost summed over the batch, the step is $\eta$ times a sum, so the right
# $\eta$ shrinks as the data grow; a mean (or $\eta / N$) makes it independent of $N$.
