# syntax=docker/dockerfile:1
# AI Rate Limiter image: builds the shaded jar with the Maven wrapper, runs it on a JRE as a
# non-root user. Build from the repository root:
#   docker build -t ai-rate-limiter:1.0.0-SNAPSHOT .

# ---- build stage: the same command as the README's, tests skipped (CI runs them) ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Wrapper and POMs first, so the dependency layer is reused while only sources change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY service/pom.xml service/pom.xml
COPY bench/pom.xml bench/pom.xml
# Only the service module is built here; the bench module stays out of the image.
RUN ./mvnw -B -q -pl service -am dependency:go-offline
COPY migrations.xml ./
COPY docs/openapi.yaml docs/openapi.yaml
COPY service/src service/src
RUN ./mvnw -B -q -pl service -am -DskipTests package

# ---- runtime stage ----
FROM eclipse-temurin:17-jre
# A fixed numeric uid, so Kubernetes' runAsNonRoot can verify it (deployment.yaml uses 10001).
RUN groupadd --system --gid 10001 ratelimiter \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
        --shell /usr/sbin/nologin ratelimiter
WORKDIR /app
COPY --from=build /src/service/target/ai-rate-limiter.jar /app/ai-rate-limiter.jar
# The repository's config.yml reads everything from the environment. Kubernetes mounts its
# own config.yml over /config. The container listens on all interfaces; the service refuses
# to start that way with an embedded Redis or Postgres, so set REDIS_URL and DATABASE_URL.
COPY config.yml /config/config.yml
ENV BIND_HOST=0.0.0.0 \
    ADMIN_BIND_HOST=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/ai-rate-limiter.jar"]
# Other commands replace this, e.g. `db migrate /config/config.yml` in the migrate Job.
CMD ["server", "/config/config.yml"]
