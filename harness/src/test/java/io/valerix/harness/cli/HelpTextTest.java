package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's {@code --help} reflows: each description is whole sentences that picocli wraps
 * to the terminal, never lines broken by hand in mid-sentence, and the one-line summary a parent
 * lists for each subcommand is a whole sentence, not the first line of a paragraph.
 */
class HelpTextTest {

    private static final int WIDTH = 80;

    @Test
    void everyDescriptionIsWholeSentencesSoThatHelpReflows() {
        SoftAssertions softly = new SoftAssertions();
        for (CommandLine command : allCommands()) {
            CommandSpec spec = command.getCommandSpec();
            String name = spec.qualifiedName();
            List<String> texts = new ArrayList<>();
            texts.addAll(List.of(spec.usageMessage().description()));
            texts.addAll(List.of(spec.usageMessage().header()));
            texts.addAll(spec.usageMessage().exitCodeList().values());
            for (ArgSpec arg : spec.args()) {
                if (!arg.hidden()) {
                    texts.addAll(List.of(arg.description()));
                }
            }
            for (String text : texts) {
                // Blank elements separate paragraphs; picocli's own texts end in a format newline.
                String stripped = text.replace("%n", "").strip();
                if (stripped.isEmpty()) {
                    continue;
                }
                softly.assertThat(stripped)
                        .as("%s: a description element that ends mid-sentence (a hard line break)", name)
                        .matches("(?s).*[.!?:]$");
            }
        }
        softly.assertAll();
    }

    @Test
    void everyCommandsHelpFitsTheTerminalAndListsWholeSummaries() {
        SoftAssertions softly = new SoftAssertions();
        for (CommandLine command : allCommands()) {
            String usage = usage(command);
            for (String line : usage.split("\\R")) {
                softly.assertThat(line.length())
                        .as("%s help line '%s'", command.getCommandSpec().qualifiedName(), line)
                        .isLessThanOrEqualTo(WIDTH);
            }
            String flowing = usage.replaceAll("\\s+", " ");
            for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
                CommandSpec subSpec = sub.getValue().getCommandSpec();
                String[] summary = subSpec.usageMessage().header().length > 0
                        ? subSpec.usageMessage().header()
                        : subSpec.usageMessage().description();
                if (summary.length > 0) {
                    softly.assertThat(flowing)
                            .as(
                                    "%s lists '%s' with its whole first sentence",
                                    command.getCommandSpec().qualifiedName(), sub.getKey())
                            .contains(summary[0].replaceAll("\\s+", " ").strip());
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void helpNeverBreaksAWordAcrossLines() {
        SoftAssertions softly = new SoftAssertions();
        for (CommandLine command : allCommands()) {
            CommandSpec spec = command.getCommandSpec();
            Set<String> words = new HashSet<>(List.of(usage(command).split("\\s+")));
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
            for (ArgSpec arg : spec.args()) {
                if (!arg.hidden()) {
                    texts.addAll(List.of(arg.renderedDescription()));
                }
            }
            for (String text : texts) {
                for (String word : text.replace("%n", " ").split("\\s+")) {
                    if (word.isEmpty()) {
                        continue;
                    }
                    softly.assertThat(words)
                            .as(
                                    "%s help keeps '%s' whole (a URL or a file name broken at a dot reads wrong)",
                                    spec.qualifiedName(), word)
                            .contains(word);
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void theRestoreAndVerifyHelpNameTheirExitCodes() {
        CommandLine cli = ValerixCli.commandLine();
        String restore = usage(cli.getSubcommands().get("restore")).replaceAll("\\s+", " ");
        String verify = usage(
                        cli.getSubcommands().get("backup").getSubcommands().get("verify"))
                .replaceAll("\\s+", " ");

        for (String help : List.of(restore, verify)) {
            assertThat(help)
                    .contains("Exit codes:")
                    .contains(" 2 The archive is missing or corrupt")
                    .contains(" 3 No base backup is old enough");
        }
        assertThat(ExitCodes.NO_BASE_BACKUP).isNotEqualTo(ExitCodes.ERROR).isEqualTo(3);
    }

    @Test
    void everyExitCodeAHelpListsIsAnExitCodesConstantAndTheTopLevelListsThemAll() throws Exception {
        Set<Integer> constants = new TreeSet<>();
        for (Field field : ExitCodes.class.getFields()) {
            constants.add(field.getInt(null));
        }
        assertThat(constants)
                .containsExactly(ExitCodes.SUCCESS, ExitCodes.FAILED_VERDICT, ExitCodes.ERROR, ExitCodes.NO_BASE_BACKUP)
                .containsExactly(0, 1, 2, 3);
        for (CommandLine command : allCommands()) {
            for (String code :
                    command.getCommandSpec().usageMessage().exitCodeList().keySet()) {
                assertThat(constants)
                        .as("exit code %s in the help of %s", code, command.getCommandName())
                        .contains(Integer.parseInt(code.strip()));
            }
        }
        Set<Integer> topLevel = new TreeSet<>();
        ValerixCli.commandLine()
                .getCommandSpec()
                .usageMessage()
                .exitCodeList()
                .keySet()
                .forEach(code -> topLevel.add(Integer.parseInt(code.strip())));
        assertThat(topLevel).isEqualTo(constants);
    }

    private static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        collect(ValerixCli.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    private static String usage(CommandLine command) {
        command.setUsageHelpWidth(WIDTH);
        StringWriter text = new StringWriter();
        command.usage(new PrintWriter(text));
        if (Boolean.getBoolean("valerix.printHelp")) {
            System.out.println(text);
        }
        return text.toString();
    }
}
