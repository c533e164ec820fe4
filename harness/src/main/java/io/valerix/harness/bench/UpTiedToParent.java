package io.valerix.harness.bench;

import io.valerix.harness.ValerixCli;
import java.io.IOException;

/**
 * The child JVM of the cold-start figure: exactly {@code valerix up} with the given arguments, plus
 * one thing a user's {@code valerix up} must not have: it halts when its standard input ends, so a
 * bench that dies (even by SIGKILL, which runs no shutdown hook) leaves no services behind. The
 * parent never writes to the pipe; EOF means the parent closed it or died.
 */
public final class UpTiedToParent {

  private UpTiedToParent() {}

  public static void main(String[] args) {
    Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
      try {
        while (System.in.read() >= 0) {
          // Nothing is sent.
        }
      } catch (IOException ignored) {
        // Same as EOF.
      }
      Runtime.getRuntime().halt(2);
    });
    String[] up = new String[args.length + 1];
    up[0] = "up";
    System.arraycopy(args, 0, up, 1, args.length);
    ValerixCli.main(up);
  }
}
