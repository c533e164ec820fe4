package io.valerix.core.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks zip files, refusing entries that would land outside the target directory. */
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
}
