package ai.ratelimiter.usage;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Sorts database failures of a usage transaction by what may help: trying the same batch
 * again (a deadlock or serialization failure), or writing its records one by one because
 * the database refused the content of one of them (a data, integrity or raised exception).
 * Anything else, such as a lost connection, fails the whole batch. Stateless.
 */
final class StoreFailures {

    /** Bounds the walk along next-exception links, which nothing keeps from forming a loop. */
    private static final int MAX_LINKS = 16;

    private StoreFailures() {
    }

    /** A serialization failure or deadlock: the same transaction may well pass next time. */
    static boolean isTransient(Throwable failure) {
        return sqlState(failure)
                .map(state -> state.equals("40001") || state.equals("40P01"))
                .orElse(false);
    }

    /**
     * The database refused some row's content: a data exception (22), an integrity
     * constraint (23), or an exception raised by a trigger or function (P0).
     */
    static boolean isContentRefused(Throwable failure) {
        return sqlState(failure)
                .map(state -> state.startsWith("22") || state.startsWith("23")
                        || state.startsWith("P0"))
                .orElse(false);
    }

    /**
     * A loggable description: the SQLState and the server's primary message, or the root
     * cause's type and message. Never the statement, its arguments or the server's detail,
     * which would put the record's content into the log.
     */
    static String describe(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        Throwable root = failure;
        for (Throwable current = failure; current != null && seen.add(current);
                current = current.getCause()) {
            if (current instanceof SQLException sql) {
                Optional<ServerErrorMessage> server = firstServerMessage(sql);
                if (server.isPresent()) {
                    return "sqlState=" + server.get().getSQLState()
                            + " error=" + server.get().getMessage();
                }
            }
            root = current;
        }
        if (root instanceof BatchUpdateException) {
            return "sqlState=" + sqlState(root).orElse("none") + " error=batch failed";
        }
        return "sqlState=" + sqlState(failure).orElse("none")
                + " error=" + root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Optional<ServerErrorMessage> firstServerMessage(SQLException sql) {
        int links = 0;
        for (SQLException next = sql; next != null && links < MAX_LINKS;
                next = next.getNextException()) {
            if (next instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return Optional.of(psql.getServerErrorMessage());
            }
            links++;
        }
        return Optional.empty();
    }

    /** The first SQLState in the cause chain, following JDBC's next-exception links too. */
    static Optional<String> sqlState(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable current = failure; current != null && seen.add(current);
                current = current.getCause()) {
            if (current instanceof SQLException sql) {
                Optional<String> state = firstState(sql);
                if (state.isPresent()) {
                    return state;
                }
            }
        }
        return Optional.empty();
    }

    /** A batch failure may carry its state itself or on the statement exception it chains. */
    private static Optional<String> firstState(SQLException sql) {
        int links = 0;
        for (SQLException next = sql; next != null && links < MAX_LINKS;
                next = next.getNextException()) {
            if (next.getSQLState() != null) {
                return Optional.of(next.getSQLState());
            }
            links++;
        }
        return Optional.empty();
    }
}
