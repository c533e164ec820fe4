package io.valerix.harness.chaos.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * During a chaos run, logs go to {@code valerix.log} in the run directory, and the console shows
 * only errors: a run causes timeouts and retries on purpose, and their warnings belong in the file,
 * not between the progress lines. Undone on {@link #close()}. Does nothing if the SLF4J binding is
 * not logback.
 */
public final class RunLogging implements AutoCloseable {

    private final FileAppender<ILoggingEvent> file;
    private final Appender<ILoggingEvent> console;
    private final List<Filter<ILoggingEvent>> consoleFilters;

    private RunLogging(
            FileAppender<ILoggingEvent> file,
            Appender<ILoggingEvent> console,
            List<Filter<ILoggingEvent>> consoleFilters) {
        this.file = file;
        this.console = console;
        this.consoleFilters = consoleFilters;
    }

    public static RunLogging into(Path logFile) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new RunLogging(null, null, List.of());
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} [orderId=%X{orderId:-}] - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("chaos-run-file");
        file.setFile(logFile.toString());
        file.setEncoder(encoder);
        file.start();
        root.addAppender(file);
        Appender<ILoggingEvent> console = root.getAppender("STDERR");
        List<Filter<ILoggingEvent>> filters = List.of();
        if (console != null) {
            filters = console.getCopyOfAttachedFiltersList();
            ThresholdFilter errorsOnly = new ThresholdFilter();
            errorsOnly.setLevel(Level.ERROR.levelStr);
            errorsOnly.start();
            console.addFilter(errorsOnly);
        }
        return new RunLogging(file, console, filters);
    }

    @Override
    public void close() {
        if (file == null) {
            return;
        }
        if (console != null) {
            console.clearAllFilters();
            consoleFilters.forEach(console::addFilter);
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .detachAppender(file);
        file.stop();
    }
}
