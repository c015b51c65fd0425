package io.distpatterns.platform.ids;

/** Something that issues unique, time-ordered 64-bit IDs. */
@FunctionalInterface
public interface IdGenerator {

    /**
     * The next ID.
     *
     * @throws IdGenerationException when an ID cannot be issued safely
     */
    long nextId();
}
