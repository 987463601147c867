"""LayerNormalization with a manual two-pass variance (mean of squared deviations), eps set before the base
class's __init__ and super().build() called; MyDense with tf.tensordot over the last axis and an explicit activation branch for None;
StreamingMAE with tf.size cast through int and the division done with tf.math.divide_no_nan; the loss
choice written in upper case with spaces."""
# loses:
# %% cell: layernorm_solution
class LayerNormalization(keras.layers.Layer):
    def __init__(self, eps=0.001, **kwargs):
        self.eps = eps
        super().__init__(**kwargs)

    def build(self, input_shape):
        n = int(input_shape[-1])
        self.alpha = self.add_weight(name="alpha", shape=[n], initializer="ones", trainable=True)
        self.beta = self.add_weight(name="beta", shape=[n], initializer="zeros", trainable=True)
        super().build(input_shape)

    def call(self, x):
        x = tf.convert_to_tensor(x)
        centred = x - tf.reduce_mean(x, axis=-1, keepdims=True)
        std = tf.sqrt(tf.reduce_mean(centred * centred, axis=-1, keepdims=True))
        return self.alpha * centred / (std + self.eps) + self.beta

    def get_config(self):
        return dict(super().get_config(), eps=self.eps)
# %% cell: dense_solution
class MyDense(keras.layers.Layer):
    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(int(input_shape[-1]), self.units),
                                      initializer=keras.initializers.GlorotUniform(), trainable=True)
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, x):
        z = tf.tensordot(x, self.kernel, axes=[[-1], [0]]) + self.bias
        return z if self.activation is None else self.activation(z)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=keras.activations.serialize(self.activation))
        return config
# %% cell: loss_subclass_answer
ANSWER_LOSS_SUBCLASS = " B"
# %% cell: metric_solution
class StreamingMAE(keras.metrics.Metric):
    def __init__(self, name="streaming_mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.sum_abs = self.add_variable(shape=(), initializer="zeros", name="sum_abs", dtype="float32")
        self.n = self.add_variable(shape=(), initializer="zeros", name="n", dtype="float32")

    def update_state(self, y_true, y_pred, sample_weight=None):
        diff = tf.reshape(tf.cast(y_true, tf.float32) - tf.cast(y_pred, tf.float32), [-1])
        self.sum_abs.assign_add(tf.reduce_sum(tf.abs(diff)))
        self.n.assign_add(tf.cast(tf.shape(diff)[0], tf.float32))

    def result(self):
        return tf.math.divide_no_nan(self.sum_abs, self.n)

    def reset_state(self):
        self.sum_abs.assign(0.0)
        self.n.assign(0.0)
