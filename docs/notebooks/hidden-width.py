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
# The learner's hidden layer has 4 units, the same number as the batch has samples (which is
# why some wrong updates ran without a shape error). What does the width do? Each hidden unit
# $j$ computes $a^{[1]}_{j} = \sigma(x\, W^{[1]}_{:, j})$, a soft step across one line in the
# input plane; the output combines these steps. More units, more lines to combine. This
# notebook is executed at every build of the site.

# %%
import numpy as np

from backprop import Network, learner_data

# %% [markdown]
# ## XOR: how soon does training find it?
#
# The learner's data and cost, random starting weights (6 seeds per width), learning rate
# $\gamma = 4$. A run "solves" XOR when every output is within 0.4 of its target; each run is
# checked every 100 steps, up to 10,000 steps. One hidden unit can never solve it: the output
# is then a monotone function of a single line's side, and XOR needs two lines.

# %%
x, y = learner_data()   # x: (4, 3), third column of ones; y: (4, 1)
widths, seeds = [1, 2, 3, 4, 8], range(6)
every, most = 100, 10_000


def steps_to_solve(net):
    """Steps of training until every output is within 0.4 of y, checked
    every `every` steps; None if that takes more than `most` steps."""
    done = 0
    while not np.all(np.abs(net.predict(x) - y) < 0.4):
        if done == most:
            return None
        net.train(x, y, lr=4.0, iterations=every)
        done += every
    return done


solved_at = {}   # width -> steps each seed needed (None: not solved)
for n in widths:
    solved_at[n] = [
        steps_to_solve(Network.from_sizes([3, n, 1],
                                          np.random.default_rng(seed),
                                          bias=False))
        for seed in seeds
    ]

print(f"width  within 600  within {most}  steps needed")
for n, steps in solved_at.items():
    solved = sorted(s for s in steps if s is not None)
    early = sum(s <= 600 for s in solved)
    print(f"{n:5} {early:7}/{len(seeds)} {len(solved):9}/{len(seeds)}   "
          + " ".join(map(str, solved)))

# %% [markdown]
# Where the two-unit runs are after 600 steps (the targets are 0, 1, 1, 0):

# %%
two_units = {}   # seed -> the four outputs after 600 steps
for seed in seeds:
    net = Network.from_sizes([3, 2, 1], np.random.default_rng(seed),
                             bias=False)
    net.train(x, y, lr=4.0, iterations=600)
    two_units[seed] = net.predict(x)[:, 0]
    print(f"seed {seed}: outputs",
          " ".join(f"{v:.2f}" for v in two_units[seed]))

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt

plt.rcParams["svg.fonttype"] = "none"
colours = ["tab:gray", "tab:red", "#d55e00", "tab:green",
           "tab:blue"]   # each contrasts 3:1 or more with both themes

fig, ax = plt.subplots(figsize=(3.7, 3.2))
checks = np.arange(every, most + 1, every)
for n, colour in zip(widths, colours):
    runs = [s for s in solved_at[n] if s is not None]
    solved = [sum(s <= t for s in runs) for t in checks]
    ax.step(checks, solved, where="post", color=colour, label=str(n))
ax.set_xscale("log")
ax.set_yticks(range(len(seeds) + 1))
ax.set_xlabel("step")
ax.set_ylabel(f"runs that solved XOR (of {len(seeds)})")
ax.set_title("XOR: runs solved by each step")
ax.legend(title="hidden\nunits", loc="center left",
          bbox_to_anchor=(1, 0.5))
plt.show()

# %% [markdown]
# Two units are enough to *represent* XOR, and most of the two-unit runs do find it, but late:
# none within 600 steps, the others only after a thousand steps or more. They spend that time
# on a plateau where one output, or two, sits near 0.5 and the others are right. With three
# units most runs solve XOR within a few hundred steps; with four or eight every run does.
# Extra units give gradient descent more lines to start from, and more of them start near a
# useful place.
#
# ## A round region: what each width can draw
#
# 120 random points in the square $[-1, 1]^2$, labelled 1 inside the circle
# $x_1^2 + x_2^2 < 0.5$. A network with a tanh hidden layer, a sigmoid output and binary
# cross-entropy (see [other losses and activations](../../beyond/losses-and-activations/)),
# 2000 steps with $\gamma = 0.05$.

# %%
rng = np.random.default_rng(0)
points = rng.uniform(-1, 1, size=(120, 2))                      # (N, 2)
inside = np.sum(points**2, axis=1, keepdims=True) < 0.5
labels = inside.astype(float)                                   # (N, 1)
grid = np.linspace(-1, 1, 81)
g1, g2 = np.meshgrid(grid, grid)
plane = np.column_stack([g1.ravel(), g2.ravel()])          # (81 * 81, 2)

accuracy, surfaces = {}, {}
for n in [1, 2, 3, 8]:
    net = Network.from_sizes([2, n, 1], np.random.default_rng(1),
                             activations=["tanh", "sigmoid"],
                             cost="binary_cross_entropy")
    net.train(points, labels, lr=0.05, iterations=2000)
    accuracy[n] = np.mean((net.predict(points) > 0.5) == labels)
    surfaces[n] = net.predict(plane).reshape(g1.shape)
    print(f"{n} hidden: {accuracy[n]:.0%} of the points on their side")
print(f"(answering 'outside' everywhere: {1 - labels.mean():.0%})")

# %%
fig, axes = plt.subplots(2, 2, figsize=(4.8, 5.1), sharex=True,
                         sharey=True)
for ax, (n, surface) in zip(axes.ravel(), surfaces.items()):
    ax.contourf(g1, g2, surface, levels=np.linspace(0, 1, 11),
                cmap="coolwarm", alpha=0.8)
    ax.contour(g1, g2, surface, levels=[0.5], colors="black",
               linewidths=1)
    ax.scatter(points[:, 0], points[:, 1], c=labels[:, 0], s=12,
               cmap="coolwarm", edgecolors="black", linewidths=0.5)
    ax.set_title(f"{n} hidden: {accuracy[n]:.0%} right")
    ax.set_aspect("equal")
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])
fig.suptitle("Network output and its 0.5 line, by hidden width")
plt.show()

# %% [markdown]
# With one unit the boundary is a single line, and it gets fewer points right than answering
# "outside" everywhere would. Two units make a band, three a rounded triangle, and eight a
# round region that gets every point right.
#
# The backward pass did not change with the width: for every width of these circle
# networks, whose inputs are the two coordinates,
# $\partial C / \partial W^{[1]} = (a^{[0]})^\top \delta^{[1]}$ is a $(2, n)$ matrix (the
# XOR networks above, with three inputs, have a $(3, n)$ one), one column per hidden unit, and each column only moves that unit's line. What the width changes
# is how many lines the output can combine.
#
# **Takeaway:** the width changes what the network can draw and how soon training finds it,
# not the rule for its gradients.
