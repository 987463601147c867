"""Creates the variables on the first call only, guarded by `if self.w is None` (the prompt
accepts it), instead of in __init__."""
# loses:
# %% cell: affine_solution
class Affine(tf.Module):
    def __init__(self, n_features):
        super().__init__()
        self.n_features = n_features
        self.w = None
        self.b = None

    @tf.function
    def __call__(self, x):
        if self.w is None:
            self.w = tf.Variable(tf.ones([self.n_features]), name="w")
            self.b = tf.Variable(tf.zeros([self.n_features]), name="b")
        return x * self.w + self.b
