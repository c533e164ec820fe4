/**
 * The {@code valerix} command line, the top layer of the harness: {@link
 * io.valerix.harness.cli.ValerixCli} (the jar's main class) with every subcommand, their option
 * mixins and converters, and {@link io.valerix.harness.cli.ExitCodes}. A command reads its
 * options, turns usage errors into exit code 2, and calls its feature package ({@code chaos},
 * {@code report}, {@code bench}, {@code backup}, {@code services}, {@code link}); no other package
 * imports this one.
 */
package io.valerix.harness.cli;
