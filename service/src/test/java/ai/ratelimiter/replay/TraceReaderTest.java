package ai.ratelimiter.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceReaderTest {

    private final TraceReader reader = new TraceReader();

    private List<TraceRow> read(String text, int maxRows) throws IOException {
        return reader.read(new BufferedReader(new StringReader(text)), "trace.csv", maxRows);
    }

    @Test
    void readsCrlfRowsWithSevenFractionalDigits() throws IOException {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n"
                + "2023-11-16 18:17:03.9799600,4808,10\r\n"
                + "2023-11-16 18:17:04.0319350,3180,8\r\n";

        List<TraceRow> rows = read(text, 0);

        assertThat(rows).containsExactly(
                new TraceRow(2, Instant.parse("2023-11-16T18:17:03.979960Z"), 4808, 10),
                new TraceRow(3, Instant.parse("2023-11-16T18:17:04.031935Z"), 3180, 8));
    }

    @Test
    void readsLfRowsWithoutFractionAndSkipsBlankLines() throws IOException {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03,1,2\n\n";

        List<TraceRow> rows = read(text, 0);

        assertThat(rows).containsExactly(
                new TraceRow(2, Instant.parse("2023-11-16T18:17:03Z"), 1, 2));
    }

    @Test
    void sortsRowsByArrivalKeepingTheFileOrderOfEqualTimestamps() throws IOException {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n"
                + "2023-11-16 18:17:05.0000000,1,1\r\n"
                + "2023-11-16 18:17:04.0000000,2,2\r\n"
                + "2023-11-16 18:17:05.0000000,3,3\r\n";

        List<TraceRow> rows = read(text, 0);

        assertThat(rows).extracting(TraceRow::line).containsExactly(3L, 2L, 4L);
    }

    @Test
    void maxRowsStopsReadingAfterThatManyRows() throws IOException {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n"
                + "2023-11-16 18:17:03.1,1,1\r\n"
                + "2023-11-16 18:17:03.2,2,2\r\n"
                + "2023-11-16 18:17:03.3,3,3\r\n";

        List<TraceRow> rows = read(text, 2);

        assertThat(rows).extracting(TraceRow::totalTokens).containsExactly(2L, 4L);
    }

    @Test
    void wrongHeaderIsRejectedNamingLineOne() {
        String text = "time,in,out\r\n2023-11-16 18:17:03,1,2\r\n";

        assertThatThrownBy(() -> read(text, 0))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("trace.csv line 1: expected the header"
                        + " TIMESTAMP,ContextTokens,GeneratedTokens");
    }

    @Test
    void malformedTimestampIsRejectedNamingItsLine() {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n"
                + "2023-11-16 18:17:03.1,1,2\r\n2023-11-16T18:17:04,1,2\r\n";

        assertThatThrownBy(() -> read(text, 0))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("trace.csv line 3: TIMESTAMP '2023-11-16T18:17:04'"
                        + " is not YYYY-MM-DD HH:MM:SS.fffffff");
    }

    @Test
    void negativeTokenCountIsRejectedNamingItsColumn() {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:17:03,5,-1\r\n";

        assertThatThrownBy(() -> read(text, 0))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("trace.csv line 2: GeneratedTokens -1 is outside 0..9007199254740991");
    }

    @Test
    void rowWithAMissingFieldIsRejected() {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n2023-11-16 18:17:03,5\r\n";

        assertThatThrownBy(() -> read(text, 0))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("trace.csv line 2: expected 3 fields, found 2");
    }

    @Test
    void headerWithoutRowsIsRejected() {
        String text = "TIMESTAMP,ContextTokens,GeneratedTokens\r\n";

        assertThatThrownBy(() -> read(text, 0))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage("trace.csv: no data rows after the header");
    }
}
