package ai.ratelimiter.limits;

/** Loads settings from Postgres and falls back to the configured default limits. Thread-safe. */
public final class StoredLimitsSource implements LimitsSource {

    private final LimitsDao dao;
    private final Limits defaults;

    public StoredLimitsSource(LimitsDao dao, Limits defaults) {
        this.dao = dao;
        this.defaults = defaults;
    }

    @Override
    public OrgSettings load(String orgId) {
        return dao.find(orgId).orElse(OrgSettings.of(defaults));
    }
}
