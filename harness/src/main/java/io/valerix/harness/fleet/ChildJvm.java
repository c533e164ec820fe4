package io.valerix.harness.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM of the harness: the JDK the harness itself runs on (so a child
 * never picks up another {@code java} from the PATH) and the harness's class path.
 */
public final class ChildJvm {

    private ChildJvm() {}

    /** The {@code java} executable of the running JDK. */
    public static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java [jvmOptions] -cp <this class path> mainClass args…}. */
    public static List<String> command(List<String> jvmOptions, Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }
}
