"""Converts the images to float32 but forgets to divide by 255."""
# loses: prepare_scales_images
# %% cell: prepare_solution
def prepare(images, labels):
    return images.astype("float32"), labels.astype("int32")
