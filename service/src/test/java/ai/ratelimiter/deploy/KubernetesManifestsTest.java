package ai.ratelimiter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.RateLimiterConfiguration;
import ai.ratelimiter.testing.TestApp;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code deploy/kubernetes} and the {@code Dockerfile} against each other and against the
 * service: every manifest parses into its Kubernetes type, and the probes, ports, environment,
 * grace periods and security settings agree with the ConfigMap's {@code config.yml}, which
 * itself must be a valid {@link RateLimiterConfiguration}.
 */
class KubernetesManifestsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(:-[^}]*)?}");
    private static final String CONFIG_KEY = "config.yml";
    private static final String CONFIG_DIRECTORY = "/config";

    private final Deployment deployment = DeployFiles.manifest("deployment.yaml", Deployment.class);
    private final ConfigMap configMap = DeployFiles.manifest("configmap.yaml", ConfigMap.class);
    private final Service service = DeployFiles.manifest("service.yaml", Service.class);
    private final Job migrate = DeployFiles.manifest("migrate-job.yaml", Job.class);
    private final HorizontalPodAutoscaler autoscaler =
            DeployFiles.manifest("hpa.yaml", HorizontalPodAutoscaler.class);
    private final PodDisruptionBudget budget =
            DeployFiles.manifest("pdb.yaml", PodDisruptionBudget.class);
    private final Secret secretExample = DeployFiles.manifest(DeployFiles.SECRET_EXAMPLE, Secret.class);

    @Test
    void everyManifestParsesIntoAKnownKubernetesTypeWithoutUnknownFields() {
        List<String> names = DeployFiles.manifestNames();

        assertThat(names).containsExactly("configmap.yaml", "deployment.yaml", "hpa.yaml",
                "migrate-job.yaml", "pdb.yaml", DeployFiles.SECRET_EXAMPLE, "service.yaml");
        for (String name : names) {
            HasMetadata manifest = DeployFiles.manifest(name);
            assertThat(manifest).as(name).isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(manifest.getMetadata().getName()).as(name).startsWith("ai-rate-limiter");
            assertThat(DeployFiles.unknownFields(manifest)).as(name).isEmpty();
        }
    }

    @Test
    void kustomizationListsEveryManifestExceptTheSecretExample() {
        Set<String> expected = new TreeSet<>(DeployFiles.manifestNames());
        expected.remove(DeployFiles.SECRET_EXAMPLE);

        Object resources = DeployFiles.kustomization().get("resources");

        assertThat(resources).asList().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void configMapConfigIsAValidServiceConfiguration() throws Exception {
        RateLimiterConfiguration config = configMapConfig(serverEnvironment());

        DataSourceFactory database = config.getDatabase();
        assertThat(database.getUrl()).isEqualTo(configMap.getData().get("DATABASE_URL"));
        assertThat(database.getUser()).isEqualTo(configMap.getData().get("DATABASE_USER"));
        assertThat(database.getPassword())
                .isEqualTo(secretExample.getStringData().get("DATABASE_PASSWORD"));
        assertThat(config.getRedis().isConfigured()).isTrue();
        assertThat(config.isMigrateOnStart()).isFalse();
        assertThat(config.getServerFactory()).isInstanceOf(DefaultServerFactory.class);
    }

    @Test
    void everyVariableOfTheConfigIsSetForTheServerAndTheMigrateJob() {
        Set<String> variables = configVariables();

        assertThat(variables)
                .contains("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "REDIS_URL");
        assertThat(serverEnvironment().keySet()).containsAll(variables);
        assertThat(environmentOf(migrate.getSpec().getTemplate()).keySet()).containsAll(variables);
    }

    @Test
    void secretsComeFromSecretKeyRefsToKeysTheSecretExampleHas() {
        for (PodTemplateSpec template : List.of(deployment.getSpec().getTemplate(),
                migrate.getSpec().getTemplate())) {
            Map<String, EnvVar> env = envVars(onlyContainer(template));

            for (String secret : List.of("DATABASE_PASSWORD", "REDIS_URL", "AI_ADMIN_KEY")) {
                var reference = env.get(secret).getValueFrom().getSecretKeyRef();
                assertThat(reference.getName()).isEqualTo(secretExample.getMetadata().getName());
                assertThat(secretExample.getStringData()).containsKey(reference.getKey());
            }
        }
    }

    @Test
    void containerPortsAreTheConnectorPortsOfTheConfigAndTheServiceTargetsTheApplicationPort()
            throws Exception {
        DefaultServerFactory server = serverOf(configMapConfig(serverEnvironment()));
        HttpConnectorFactory application =
                (HttpConnectorFactory) server.getApplicationConnectors().get(0);
        HttpConnectorFactory admin = (HttpConnectorFactory) server.getAdminConnectors().get(0);
        Container container = onlyContainer(deployment.getSpec().getTemplate());

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort port : container.getPorts()) {
            ports.put(port.getName(), port.getContainerPort());
        }
        IntOrString target = service.getSpec().getPorts().get(0).getTargetPort();

        assertThat(ports).isEqualTo(Map.of("http", application.getPort(), "admin", admin.getPort()));
        assertThat(application.getBindHost()).isEqualTo("0.0.0.0");
        assertThat(admin.getBindHost()).isEqualTo("0.0.0.0");
        assertThat(server.getApplicationConnectors()).hasSize(1);
        assertThat(server.getAdminConnectors()).hasSize(1);
        assertThat(portNumber(container, target)).isEqualTo(application.getPort());
    }

    @Test
    void probesCallLivenessReadinessAndPingOnTheAdminPort() throws Exception {
        HttpConnectorFactory admin = (HttpConnectorFactory)
                serverOf(configMapConfig(serverEnvironment())).getAdminConnectors().get(0);
        Container container = onlyContainer(deployment.getSpec().getTemplate());

        HTTPGetAction liveness = container.getLivenessProbe().getHttpGet();
        HTTPGetAction readiness = container.getReadinessProbe().getHttpGet();
        HTTPGetAction startup = container.getStartupProbe().getHttpGet();

        assertThat(liveness.getPath()).isEqualTo("/health/live");
        assertThat(readiness.getPath()).isEqualTo("/health/ready");
        assertThat(startup.getPath()).isEqualTo("/ping");
        for (HTTPGetAction probe : List.of(liveness, readiness, startup)) {
            assertThat(portNumber(container, probe.getPort())).isEqualTo(admin.getPort());
        }
    }

    @Test
    void probePathsAnswerOnTheAdminPortOfARunningService() throws Exception {
        Container container = onlyContainer(deployment.getSpec().getTemplate());
        List<Probe> probes = List.of(container.getLivenessProbe(), container.getReadinessProbe(),
                container.getStartupProbe());
        Map<String, Integer> statuses = new LinkedHashMap<>();

        try (TestApp app = TestApp.start()) {
            for (Probe probe : probes) {
                String path = probe.getHttpGet().getPath();
                statuses.put(path, awaitOk(app, path));
            }
        }

        assertThat(statuses)
                .isEqualTo(Map.of("/ping", 200, "/health/live", 200, "/health/ready", 200));
    }

    @Test
    void prometheusScrapesTheAdminPort() throws Exception {
        HttpConnectorFactory admin = (HttpConnectorFactory)
                serverOf(configMapConfig(serverEnvironment())).getAdminConnectors().get(0);

        Map<String, String> annotations =
                deployment.getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(admin.getPort()))
                .containsEntry("prometheus.io/path", "/prometheus");
    }

    /** The path's status once it is 200, or its last status after 10 s: readiness takes ~1 s. */
    private static int awaitOk(TestApp app, String path) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status;
        do {
            try (Response response = app.adminTarget(path).request().get()) {
                status = response.getStatus();
            }
            if (status != 200) {
                Thread.sleep(100);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        return status;
    }

    @Test
    void terminationGraceOutlastsShutdownGracePlusDrainPlusThePreStopSleep() throws Exception {
        RateLimiterConfiguration config = configMapConfig(serverEnvironment());
        DefaultServerFactory server = serverOf(config);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        List<String> preStop = onlyContainer(deployment.getSpec().getTemplate())
                .getLifecycle().getPreStop().getExec().getCommand();

        long preStopSeconds = Long.parseLong(preStop.get(1));
        long shutdownSeconds = server.getShutdownGracePeriod().toSeconds();
        long drainSeconds = config.getDrainPeriod().toSeconds();

        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        assertThat(shutdownSeconds).isPositive();
        assertThat(pod.getTerminationGracePeriodSeconds())
                .isGreaterThan(shutdownSeconds + drainSeconds + preStopSeconds);
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithAnEmptyDirForTmp() {
        for (PodTemplateSpec template : List.of(deployment.getSpec().getTemplate(),
                migrate.getSpec().getTemplate())) {
            PodSpec pod = template.getSpec();
            Container container = onlyContainer(template);

            Map<String, Volume> volumes = volumesByMountPath(pod, container);

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(dockerfileUserId());
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop())
                    .containsExactly("ALL");
            assertThat(volumes.get("/tmp").getEmptyDir()).isNotNull();
            assertThat(volumes.get(CONFIG_DIRECTORY).getConfigMap().getName())
                    .isEqualTo(configMap.getMetadata().getName());
            assertThat(volumes.get(CONFIG_DIRECTORY).getConfigMap().getItems())
                    .singleElement().satisfies(item -> {
                        assertThat(item.getKey()).isEqualTo(CONFIG_KEY);
                        assertThat(item.getPath()).isEqualTo(CONFIG_KEY);
                    });
        }
    }

    @Test
    void serverRunsAtLeastTwoReplicasWithRequestsAndLimitsAndTheAutoscalerKeepsTwo() {
        Container container = onlyContainer(deployment.getSpec().getTemplate());
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();

        var target = autoscaler.getSpec().getScaleTargetRef();

        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(requests.get("memory")))
                .isLessThanOrEqualTo(Quantity.getAmountInBytes(limits.get("memory")));
        assertThat(autoscaler.getApiVersion()).isEqualTo("autoscaling/v2");
        assertThat(target.getKind()).isEqualTo("Deployment");
        assertThat(target.getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(autoscaler.getSpec().getMaxReplicas())
                .isGreaterThan(autoscaler.getSpec().getMinReplicas());
    }

    @Test
    void serviceAndDisruptionBudgetSelectTheServerPodsAndNotTheMigrateJob() {
        Map<String, String> serverLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> migrateLabels = migrate.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> deploymentSelector = deployment.getSpec().getSelector().getMatchLabels();

        Map<String, String> budgetSelector = budget.getSpec().getSelector().getMatchLabels();
        Map<String, String> serviceSelector = service.getSpec().getSelector();

        assertThat(serverLabels).containsAllEntriesOf(deploymentSelector);
        assertThat(budgetSelector).isEqualTo(deploymentSelector);
        assertThat(serviceSelector).isEqualTo(deploymentSelector);
        assertThat(migrateLabels.entrySet().containsAll(deploymentSelector.entrySet()))
                .as("migrate pods match the server selector").isFalse();
        assertThat(budget.getApiVersion()).isEqualTo("policy/v1");
        assertThat(budget.getSpec().getMinAvailable().getIntVal())
                .isLessThan(deployment.getSpec().getReplicas());
    }

    @Test
    void migrateJobRunsDbMigrateOnTheMountedConfigWithTheServerImage() {
        Container job = onlyContainer(migrate.getSpec().getTemplate());
        Container server = onlyContainer(deployment.getSpec().getTemplate());

        String mountedConfig = CONFIG_DIRECTORY + "/" + CONFIG_KEY;

        assertThat(job.getArgs()).containsExactly("db", "migrate", mountedConfig);
        assertThat(server.getArgs()).containsExactly("server", mountedConfig);
        assertThat(job.getImage()).isEqualTo(server.getImage());
        assertThat(migrate.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void dockerfileRunsTheShadedJarAsTheUserThePodsExpect() {
        String finalName = matchOne("<finalName>([^<]+)</finalName>",
                DeployFiles.text(DeployFiles.ROOT.resolve("service").resolve("pom.xml")));
        List<String> instructions = dockerfileInstructions();

        String copy = instructions.stream()
                .filter(line -> line.startsWith("COPY --from=build"))
                .findFirst()
                .orElseThrow();
        String entrypoint = instruction(instructions, "ENTRYPOINT");
        String command = instruction(instructions, "CMD");
        List<String> stages = instructions.stream().filter(line -> line.startsWith("FROM ")).toList();

        assertThat(copy).isEqualTo("COPY --from=build /src/service/target/" + finalName + ".jar /app/"
                + finalName + ".jar");
        assertThat(entrypoint).isEqualTo("[\"java\", \"-jar\", \"/app/" + finalName + ".jar\"]");
        assertThat(command).isEqualTo("[\"server\", \"/config/config.yml\"]");
        assertThat(stages).hasSize(2);
        assertThat(stages.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
        assertThat(dockerfileUserId()).isPositive();
    }

    private RateLimiterConfiguration configMapConfig(Map<String, String> environment) throws Exception {
        StringSubstitutor substitutor =
                new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(environment));
        substitutor.setEnableUndefinedVariableException(true);
        String text = configMap.getData().get(CONFIG_KEY);
        ConfigurationSourceProvider source = path -> new ByteArrayInputStream(
                text.getBytes(StandardCharsets.UTF_8));
        // The factory the server's own start-up uses (it rejects unknown fields), with a prefix
        // of its own so that dw.* overrides of a running TestApp cannot leak in.
        ConfigurationFactory<RateLimiterConfiguration> factory =
                new DefaultConfigurationFactoryFactory<RateLimiterConfiguration>().create(
                        RateLimiterConfiguration.class, Validators.newValidator(),
                        Jackson.newObjectMapper(), "k8s-configmap-test");
        return factory.build(new SubstitutingSourceProvider(source, substitutor),
                "configmap.yaml#config.yml");
    }

    /** The server container's environment, resolved from the ConfigMap and the Secret example. */
    private Map<String, String> serverEnvironment() {
        return environmentOf(deployment.getSpec().getTemplate());
    }

    private Map<String, String> environmentOf(PodTemplateSpec template) {
        Map<String, String> values = new LinkedHashMap<>();
        for (EnvVar variable : onlyContainer(template).getEnv()) {
            values.put(variable.getName(), resolve(variable));
        }
        return values;
    }

    private String resolve(EnvVar variable) {
        if (variable.getValueFrom() == null) {
            return variable.getValue();
        }
        var fromConfigMap = variable.getValueFrom().getConfigMapKeyRef();
        if (fromConfigMap != null) {
            assertThat(fromConfigMap.getName()).isEqualTo(configMap.getMetadata().getName());
            assertThat(configMap.getData()).containsKey(fromConfigMap.getKey());
            return configMap.getData().get(fromConfigMap.getKey());
        }
        var fromSecret = variable.getValueFrom().getSecretKeyRef();
        assertThat(fromSecret).as("source of %s", variable.getName()).isNotNull();
        assertThat(fromSecret.getName()).isEqualTo(secretExample.getMetadata().getName());
        assertThat(secretExample.getStringData()).containsKey(fromSecret.getKey());
        return secretExample.getStringData().get(fromSecret.getKey());
    }

    private Set<String> configVariables() {
        Matcher matcher = VARIABLE.matcher(configMap.getData().get(CONFIG_KEY));
        Set<String> names = new TreeSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Map<String, EnvVar> envVars(Container container) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        container.getEnv().forEach(variable -> env.put(variable.getName(), variable));
        return env;
    }

    private static Container onlyContainer(PodTemplateSpec template) {
        assertThat(template.getSpec().getContainers()).hasSize(1);
        return template.getSpec().getContainers().get(0);
    }

    private static Map<String, Volume> volumesByMountPath(PodSpec pod, Container container) {
        Map<String, Volume> byName = new LinkedHashMap<>();
        pod.getVolumes().forEach(volume -> byName.put(volume.getName(), volume));
        Map<String, Volume> byPath = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            byPath.put(mount.getMountPath(), byName.get(mount.getName()));
        }
        return byPath;
    }

    /** A port given by number or by the name of one of the container's ports. */
    private static int portNumber(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(candidate -> port.getStrVal().equals(candidate.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    private static DefaultServerFactory serverOf(RateLimiterConfiguration config) {
        return (DefaultServerFactory) config.getServerFactory();
    }

    /** The Dockerfile's instructions, comments dropped and continuation lines joined. */
    private static List<String> dockerfileInstructions() {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : DeployFiles.text(DeployFiles.ROOT.resolve("Dockerfile")).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(trimmed).toString());
            current.setLength(0);
        }
        return instructions;
    }

    private static String instruction(List<String> instructions, String keyword) {
        List<String> matching = instructions.stream()
                .filter(line -> line.startsWith(keyword + " "))
                .toList();
        assertThat(matching).as(keyword).hasSize(1);
        return matching.get(0).substring(keyword.length() + 1);
    }

    private static long dockerfileUserId() {
        String user = instruction(dockerfileInstructions(), "USER");
        return Long.parseLong(user.split(":")[0]);
    }

    private static String matchOne(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }
}
