package dev.resnetops.inference.model;

/** The right to use a {@link LoadedModel} until closed; try-with-resources around each batch or request. */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private boolean released;

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    @Override
    public void close() {
        if (!released) {
            released = true;
            model.release();
        }
    }
}
