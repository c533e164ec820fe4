package io.valerix.harness.backup;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the archive is and how to reach the running services; shared by the backup commands. */
public final class BackupOptions {

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The services' data directory (default: ${DEFAULT-VALUE}).")
  public Path dataDir = Path.of("valerix-data");

  @Mixin public ArchiveOptions archive = new ArchiveOptions();

  @Option(names = "--order", paramLabel = "URL", description = "The running order service (default: ${DEFAULT-VALUE}).")
  public URI order = URI.create("http://127.0.0.1:8080");

  @Option(names = "--inventory", paramLabel = "URL", description = "The running inventory service (default: ${DEFAULT-VALUE}).")
  public URI inventory = URI.create("http://127.0.0.1:8081");

  @Option(names = "--admin-token", paramLabel = "TOKEN",
      description = "The services' admin token, as 'valerix up' printed it (default: $VALERIX_ADMIN_TOKEN).")
  public String adminToken;

  /**
   * The archive: {@code --archive} (a directory or {@code s3://BUCKET/PREFIX}), or {@code
   * <data-dir>/archive}.
   *
   * @throws IllegalArgumentException if {@code --archive} or its endpoint is malformed
   */
  public ArchiveLocation archive() {
    return archive.location(dataDir);
  }

  /**
   * The admin token from {@code --admin-token} or {@code VALERIX_ADMIN_TOKEN}.
   *
   * @throws IllegalArgumentException if neither is set
   */
  public String adminToken() {
    String token = adminToken != null ? adminToken : System.getenv("VALERIX_ADMIN_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("give the services' admin token with --admin-token or VALERIX_ADMIN_TOKEN ('valerix up' prints it)");
    }
    return token;
  }
}
