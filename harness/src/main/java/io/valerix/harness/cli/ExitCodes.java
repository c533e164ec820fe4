package io.valerix.harness.cli;

/**
 * The exit codes of the {@code valerix} command, the ones its {@code --help} lists and the README
 * documents. Every command returns one of these; scripts may rely on the numbers.
 */
public final class ExitCodes {

    /** Success, or a chaos run whose verdict is PASS. */
    public static final int SUCCESS = 0;
    /** A chaos run whose verdict is FAIL, or a backup the day's quota refused, or an archive that does not match its database. */
    public static final int FAILED_VERDICT = 1;
    /** A usage error or a failure to run, a missing or corrupt archive among them. */
    public static final int ERROR = 2;
    /**
     * A restore that found no base backup old enough for its point: nothing is broken, the archive
     * does not reach back that far (a later point, or another archive, may work).
     */
    public static final int NO_BASE_BACKUP = 3;

    private ExitCodes() {}
}
