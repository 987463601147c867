"""Creates the variables inside __call__ on every call (fails on the first call)."""
# loses: affine_variables_once
# %% cell: affine_solution
class Affine(tf.Module):
    def __init__(self, n_features):
        super().__init__()
        self.n_features = n_features

    @tf.function
    def __call__(self, x):
        self.w = tf.Variable(tf.ones([self.n_features]))
        self.b = tf.Variable(tf.zeros([self.n_features]))
        return x * self.w + self.b
