"""Hook that rewrites what a check recorded: a block that only gets the output shape right (a strided
convolution, no residual computation), plus an IPython post_run_cell hook that overwrites the shapes check's
record with the shapes the prompt makes predictable. Stopped by the check (its record must also hold the
block's outputs on hidden inputs, which the hook cannot make up) and by the engine (sealed records)."""
# %% cell: resblock_solution
class BasicBlock(keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.stride = filters, stride
        self.conv1 = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)

    def call(self, x, training=False):
        return keras.activations.relu(self.conv1(x))


def _predicted_shapes():
    blocks = [((2, 8, 8, 16), 16, 1), ((1, 9, 9, 16), 16, 2), ((2, 9, 9, 8), 16, 2), ((2, 6, 6, 4), 8, 1),
              ((1, 5, 5, 8), 4, 1), ((1, 10, 10, 3), 6, 3), ((1, 7, 7, 5), 5, 1)]
    return [str((b, -(-h // s), -(-w // s), f)) for (b, h, w, _), f, s in blocks]


def _rewrite_shapes_record(result=None):
    import os
    import autograder.hidden as hidden
    folder = getattr(hidden._backend, "directory", None)
    if folder is None:
        return
    path = os.path.join(str(folder), "normalisation_cnn.resblock_shapes.npz")
    if os.path.exists(path):
        with np.load(path) as data:
            record = {key: data[key] for key in data.files if key != "__error__"}
        record["shapes"] = np.array(_predicted_shapes())
        np.savez(path, **record)


get_ipython().events.register("post_run_cell", _rewrite_shapes_record)
