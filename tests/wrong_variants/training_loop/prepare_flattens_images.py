"""Flattens the images to vectors of 784 (the model's Flatten layer already does that)."""
# loses: prepare_scales_images
# %% cell: prepare_solution
def prepare(images, labels):
    x = images.reshape(len(images), -1).astype("float32") / 255.0
    return x, labels.astype("int32")
