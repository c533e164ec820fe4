package io.valerix.harness.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The live heap by class, as {@code jcmd <pid> GC.class_histogram} prints it (it runs a full
 * collection first, so only live objects count): the one exact figure of what the in-flight orders
 * hold, where occupancy after a young collection also counts old garbage.
 */
final class LiveHeapHistogram {

    private LiveHeapHistogram() {}

    /** {@code liveMb} and the {@code top} classes by bytes, as {@code name -> MB}; empty if the JVM cannot say. */
    static Map<String, Object> take(int top) {
        Map<String, Object> result = new LinkedHashMap<>();
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            return result;
        }
        List<Map<String, Object>> classes = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 3 && fields[0].equals("Total")) {
                result.put("liveMb", mb(Long.parseLong(fields[2])));
            } else if (fields.length >= 4 && fields[0].endsWith(":") && classes.size() < top) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", fields[3]);
                row.put("instances", Long.parseLong(fields[1]));
                row.put("mb", mb(Long.parseLong(fields[2])));
                classes.add(row);
            }
        }
        result.put("top", classes);
        return result;
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
    }
}
