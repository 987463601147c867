"""Loads the file without custom_objects while the class is not registered: Keras cannot find
ClippedScale and load_model raises."""
# loses: keras_round_trip
# %% cell: save_solution
def save_and_reload(model, folder):
    path = os.path.join(folder, "model.keras")
    model.save(path)
    return keras.models.load_model(path)
