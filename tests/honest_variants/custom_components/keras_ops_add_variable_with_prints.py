"""Everything in keras.ops instead of tf (ops.var, ops.sqrt, ops.matmul, ops.where...), add_variable instead
of add_weight in the layers, add_weight instead of add_variable in the metric, and leftover debugging
print lines; the Keras difference measured with keras.ops and left a 0-d tensor."""
# loses:
# %% cell: layernorm_solution
class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.eps = eps

    def build(self, input_shape):
        print("building LayerNormalization for", input_shape)
        self.alpha = self.add_variable(shape=input_shape[-1:], initializer="ones", dtype="float32", name="alpha")
        self.beta = self.add_variable(shape=input_shape[-1:], initializer="zeros", dtype="float32", name="beta")

    def call(self, x):
        mean = keras.ops.mean(x, axis=-1, keepdims=True)
        std = keras.ops.sqrt(keras.ops.var(x, axis=-1, keepdims=True))
        return self.alpha * (x - mean) / (std + self.eps) + self.beta

    def get_config(self):
        return {**super().get_config(), "eps": self.eps}
# %% cell: keras_difference_answer
KERAS_FORMULA = "B "
difference = keras.ops.abs(LayerNormalization(eps=1e-3)(x_demo) - keras.layers.LayerNormalization(epsilon=1e-3)(x_demo))
KERAS_MAX_DIFF = keras.ops.max(difference)
print("largest difference:", KERAS_MAX_DIFF)
# %% cell: dense_solution
class MyDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_variable(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                        name="kernel")
        self.bias = self.add_variable(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        return self.activation(keras.ops.matmul(x, self.kernel) + self.bias)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[-1] = self.units
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        config["activation"] = keras.activations.serialize(self.activation)
        return config
# %% cell: huber_solution
class HuberLoss(keras.losses.Loss):
    def __init__(self, threshold=1.0, **kwargs):
        super().__init__(**kwargs)
        self.threshold = threshold

    def call(self, y_true, y_pred):
        error = keras.ops.cast(y_true, y_pred.dtype) - y_pred
        size = keras.ops.abs(error)
        return keras.ops.where(size <= self.threshold, 0.5 * error * error,
                               self.threshold * size - 0.5 * self.threshold ** 2)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}
# %% cell: metric_solution
class StreamingMAE(keras.metrics.Metric):
    def __init__(self, name="streaming_mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(shape=(), initializer="zeros", name="total", dtype="float32")
        self.count = self.add_weight(shape=(), initializer="zeros", name="count", dtype="float32")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = keras.ops.convert_to_tensor(y_pred, dtype="float32")
        y_true = keras.ops.convert_to_tensor(y_true, dtype="float32")
        self.total.assign_add(keras.ops.sum(keras.ops.abs(y_true - y_pred)))
        self.count.assign_add(keras.ops.cast(keras.ops.size(y_pred), "float32"))
        print("seen so far:", int(self.count.numpy()))

    def result(self):
        return keras.ops.divide(self.total, self.count)

    def reset_state(self):
        for variable in self.variables:
            variable.assign(keras.ops.zeros_like(variable))
