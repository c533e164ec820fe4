package io.valerix.harness.chaos.internal;

import io.valerix.harness.report.AttemptRecord;
import io.valerix.harness.report.RunFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's history: every request the workload sent, kept in memory for the check and written
 * as it happens to {@code client.jsonl}, so a run that dies still leaves its log. Thread-safe.
 */
public final class ClientLog implements AutoCloseable {

    private final BufferedWriter out;
    private final List<AttemptRecord> records = new ArrayList<>();
    private IOException failure;

    public ClientLog(Path file) {
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client log " + file, e);
        }
    }

    public synchronized void record(AttemptRecord record) {
        records.add(record);
        if (failure == null) {
            try {
                out.write(RunFiles.toLine(record));
                out.write('\n');
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    public synchronized List<AttemptRecord> records() {
        return List.copyOf(records);
    }

    /** Flushes and closes the file; a write that failed earlier is thrown now, so a torn log is never taken for whole. */
    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("writing the client log failed", failure);
        }
    }
}
