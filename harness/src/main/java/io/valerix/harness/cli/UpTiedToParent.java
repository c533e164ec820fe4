package io.valerix.harness.cli;

import io.valerix.harness.fleet.ParentWatch;

/**
 * The child JVM of the cold-start figure: exactly {@code valerix up} with the given arguments, plus
 * one thing a user's {@code valerix up} must not have: it halts when its standard input ends
 * ({@link ParentWatch}), so a bench that dies, even by SIGKILL, leaves no services behind.
 */
public final class UpTiedToParent {

    private UpTiedToParent() {}

    public static void main(String[] args) {
        ParentWatch.haltWhenStdinEnds();
        String[] up = new String[args.length + 1];
        up[0] = "up";
        System.arraycopy(args, 0, up, 1, args.length);
        ValerixCli.main(up);
    }
}
