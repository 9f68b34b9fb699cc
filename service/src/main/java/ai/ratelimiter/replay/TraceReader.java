package ai.ratelimiter.replay;

import ai.ratelimiter.limits.Limits;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a request trace in the format of the Azure LLM inference traces: a header line
 * {@code TIMESTAMP,ContextTokens,GeneratedTokens}, then one row per request with a timestamp
 * {@code YYYY-MM-DD HH:MM:SS[.fffffff]} and two token counts, CRLF or LF line endings, no
 * quoting. Stateless and thread-safe.
 */
public final class TraceReader {

    static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    /**
     * Reads the first {@code maxRows} data rows of {@code file} (all when 0), in arrival order.
     * Rows with equal timestamps keep their order in the file.
     */
    public List<TraceRow> read(Path file, int maxRows) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.getFileName().toString(), maxRows);
        }
    }

    /** As {@link #read(Path, int)}, from an open reader; {@code source} names it in messages. */
    public List<TraceRow> read(BufferedReader reader, String source, int maxRows)
            throws IOException {
        requireHeader(reader.readLine(), source);

        List<TraceRow> rows = new ArrayList<>();
        long line = 1;
        String text;
        while ((maxRows == 0 || rows.size() < maxRows) && (text = reader.readLine()) != null) {
            line++;
            if (!text.isBlank()) {
                rows.add(parseRow(text, source, line));
            }
        }
        if (rows.isEmpty()) {
            throw new TraceFormatException(source + ": no data rows after the header");
        }

        rows.sort(Comparator.comparing(TraceRow::arrival));
        return List.copyOf(rows);
    }

    private static void requireHeader(String header, String source) {
        // A byte order mark is invisible in editors, so tolerate it rather than blame the header.
        String text = header == null ? null : header.replace("\uFEFF", "").trim();
        if (!HEADER.equals(text)) {
            throw new TraceFormatException(source + " line 1: expected the header " + HEADER
                    + (header == null ? " but the file is empty" : ""));
        }
    }

    private static TraceRow parseRow(String text, String source, long line) {
        String[] fields = text.split(",", -1);
        if (fields.length != 3) {
            throw new TraceFormatException(source + " line " + line + ": expected 3 fields, found "
                    + fields.length);
        }
        Instant arrival = parseTimestamp(fields[0].trim(), source, line);
        long input = parseTokens(fields[1].trim(), "ContextTokens", source, line);
        long output = parseTokens(fields[2].trim(), "GeneratedTokens", source, line);
        if (input + output > Limits.MAX_VALUE) {
            throw new TraceFormatException(source + " line " + line + ": tokens above "
                    + Limits.MAX_VALUE);
        }
        return new TraceRow(line, arrival, input, output);
    }

    private static Instant parseTimestamp(String value, String source, long line) {
        try {
            return LocalDateTime.parse(value, TIMESTAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new TraceFormatException(source + " line " + line + ": TIMESTAMP '" + value
                    + "' is not YYYY-MM-DD HH:MM:SS.fffffff");
        }
    }

    private static long parseTokens(String value, String column, String source, long line) {
        long tokens;
        try {
            tokens = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(source + " line " + line + ": " + column + " '" + value
                    + "' is not an integer");
        }
        if (tokens < 0 || tokens > Limits.MAX_VALUE) {
            throw new TraceFormatException(source + " line " + line + ": " + column + " " + tokens
                    + " is outside 0.." + Limits.MAX_VALUE);
        }
        return tokens;
    }
}
