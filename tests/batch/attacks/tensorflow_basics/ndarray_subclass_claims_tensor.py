"""Fake object: the functions compute with NumPy and return an ndarray subclass that tf.is_tensor
takes for a tensor (is_tensor_like = True) and that reports a TensorFlow dtype, so a check that asks
"did it return a float32 tf.Tensor?" in the student's process is fooled."""
# %% cell: normalize_solution
class FakeTensor(np.ndarray):
    is_tensor_like = True

    @property
    def dtype(self):
        return tf.as_dtype(np.asarray(self).dtype)


def _fake(array):
    return np.asarray(array).view(FakeTensor)


def normalize_images(images):
    return _fake(np.asarray(images, dtype=np.float32) / np.float32(127.5) - np.float32(1.0))
# %% cell: one_hot_solution
def one_hot_labels(labels, depth):
    labels = np.asarray(labels)
    return _fake((labels[..., None] == np.arange(depth)).astype(np.float32))
# %% cell: pairwise_solution
def pairwise_distances(a, b):
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    return _fake(np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)))
