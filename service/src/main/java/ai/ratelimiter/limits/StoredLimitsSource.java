package ai.ratelimiter.limits;

/** Loads limits from Postgres and falls back to the configured defaults. Thread-safe. */
public final class StoredLimitsSource implements LimitsSource {

    private final LimitsDao dao;
    private final Limits defaults;

    public StoredLimitsSource(LimitsDao dao, Limits defaults) {
        this.dao = dao;
        this.defaults = defaults;
    }

    @Override
    public Limits load(String orgId) {
        return dao.find(orgId).orElse(defaults);
    }

    public Limits defaults() {
        return defaults;
    }
}
