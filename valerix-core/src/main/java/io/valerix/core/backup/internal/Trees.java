package io.valerix.core.backup.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes directory trees. */
public final class Trees {

    private Trees() {}

    /** Deletes {@code root} and everything under it, if it exists. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Like {@link #delete} but adds a failure to {@code failure} instead of throwing. */
    public static void deleteQuietly(Path root, Throwable failure) {
        try {
            delete(root);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
