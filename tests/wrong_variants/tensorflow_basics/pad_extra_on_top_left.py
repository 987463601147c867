"""Puts the odd extra row/column at the top/left instead of the bottom/right."""
# loses: center_pad
# %% cell: pad_solution
def center_pad(images, size):
    extra_h = size - images.shape[1]
    extra_w = size - images.shape[2]
    paddings = [[0, 0], [extra_h - extra_h // 2, extra_h // 2], [extra_w - extra_w // 2, extra_w // 2], [0, 0]]
    return tf.pad(images, paddings)
