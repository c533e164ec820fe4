package io.valerix.harness;

import picocli.CommandLine;

/** Gives tests in other packages the CLI as {@link ValerixCli#execute} runs it, with its error handling. */
public final class ValerixCliAccess {

  private ValerixCliAccess() {}

  public static CommandLine commandLine() {
    return ValerixCli.commandLine();
  }
}
