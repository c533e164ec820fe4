package io.valerix.core.backup.internal;

import io.valerix.core.backup.ArchiveStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@link ArchiveStore} in a directory. Writes go to a temporary file in the target's own
 * directory, are forced to disk, and are renamed over the target, so a reader (or a crash) sees
 * the old file or the new one. Claims use {@code CREATE_NEW}, which the operating system makes
 * atomic (O_EXCL), also across processes on one machine; a shared network file system must honour
 * O_EXCL for the quota to hold across machines.
 *
 * <p>Thread-safe: every write has its own temporary file.
 */
public final class DirectoryArchiveStore implements ArchiveStore {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");

    private final Path root;

    public DirectoryArchiveStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    @Override
    public void put(String name, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path target = resolve(name);
        Path temp = temporaryBeside(target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void putFile(String name, Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        Path target = resolve(name);
        Path temp = temporaryBeside(target);
        try {
            try (InputStream in = Files.newInputStream(source);
                    FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                in.transferTo(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public boolean createIfAbsent(String name, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path target = resolve(name);
        Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // The file's existence is the claim; its content only says who made it.
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
        forceDirectory(target.getParent());
        return true;
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(resolve(name));
    }

    @Override
    public void delete(String name) throws IOException {
        Path target = resolve(name);
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.getParent());
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        return Files.exists(resolve(name));
    }

    @Override
    public String location() {
        return root.toString();
    }

    /** The file of {@code name}; for tests and tools that inspect the archive. */
    public Path resolve(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(
                    "archive names are relative paths of [a-z0-9._-] segments, but was '" + name + "'");
        }
        return root.resolve(name);
    }

    private static Path temporaryBeside(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the file system of " + target + " cannot rename atomically; an archive needs that", e);
        }
        forceDirectory(target.getParent());
    }

    /** Makes a rename or create durable: on Linux the directory entry needs its own fsync. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some platforms cannot open a directory; the rename is still atomic, only its durability
            // on power loss is left to the file system.
        }
    }
}
