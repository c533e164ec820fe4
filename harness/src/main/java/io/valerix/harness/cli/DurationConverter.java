package io.valerix.harness.cli;

import io.valerix.harness.text.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** Reads a duration option as {@link DurationText} does: {@code 300ms}, {@code 2s}, {@code 1.5s}, {@code 2m}, or ISO-8601 {@code PT2S}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
