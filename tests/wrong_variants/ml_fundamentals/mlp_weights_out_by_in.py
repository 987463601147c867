"""Lays weight matrices out as (outputs, inputs), so the shapes are transposed and X @ W.T fails on (in, out) weights."""
# loses: mlp_shapes, mlp_forward
# %% cell: mlp_shapes_answer
SHAPE_X = (32, 10)
SHAPE_W_H = (50, 10)
SHAPE_B_H = (50,)
SHAPE_W_O = (3, 50)
SHAPE_B_O = (3,)
SHAPE_Y = (32, 3)
# %% cell: mlp_solution
def mlp_forward(X, W_h, b_h, W_o, b_o):
    hidden = np.maximum(X @ W_h.T + b_h, 0.0)
    return np.maximum(hidden @ W_o.T + b_o, 0.0)
