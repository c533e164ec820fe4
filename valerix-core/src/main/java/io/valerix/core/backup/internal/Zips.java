package io.valerix.core.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Packs and unpacks zip files, refusing entries that would land outside the target directory. */
public final class Zips {

    private Zips() {}

    /** Extracts {@code zip} into {@code directory}; returns the files written. */
    public static List<Path> extract(InputStream zip, Path directory) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        Files.createDirectories(root);
        List<Path> written = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("zip entry '" + entry.getName() + "' points outside " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
                written.add(target);
            }
        }
        if (written.isEmpty()) {
            throw new IOException("the zip holds no files");
        }
        return written;
    }

    /**
     * Writes every file and directory under {@code directory} into {@code zip}, named by its path
     * relative to {@code directory} under {@code prefix} (for example {@code "data/"}). Empty
     * directories count: a PostgreSQL data directory does not start without its empty ones.
     */
    public static void pack(Path directory, String prefix, ZipOutputStream zip) throws IOException {
        Path root = directory.toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> paths = Files.walk(root)) {
            files = paths.filter(path -> !path.equals(root)).sorted().toList();
        }
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                zip.putNextEntry(
                        new ZipEntry(prefix + root.relativize(file).toString().replace('\\', '/') + "/"));
                zip.closeEntry();
                continue;
            }
            zip.putNextEntry(
                    new ZipEntry(prefix + root.relativize(file).toString().replace('\\', '/')));
            Files.copy(file, zip);
            zip.closeEntry();
        }
    }
}
