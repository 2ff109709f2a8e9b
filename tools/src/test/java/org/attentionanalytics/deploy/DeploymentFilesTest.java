package org.attentionanalytics.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.attentionanalytics.job.AttentionJob;
import org.attentionanalytics.job.JobOptions;
import org.attentionanalytics.job.KafkaArgs;
import org.attentionanalytics.local.Topics;
import org.attentionanalytics.local.demo.DemoMain;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * There is no Docker engine and no Kubernetes in the build, so the deployment files are checked
 * here, against the project itself: {@code docker/Dockerfile}, {@code docker/compose.yaml} and
 * every manifest in {@code deploy/kubernetes/}. Image versions follow the pom, topics and their
 * configs follow {@link Topics}, job arguments parse as {@link JobOptions}, and jar path, ports,
 * checkpoint directories and the pseudonym key mount agree between the files.
 */
class DeploymentFilesTest {
    /** The job jar's and the image's name (the shade plugin's outputFile in job/pom.xml). */
    private static final String JAR_NAME = "attention-analytics";

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize(); // tests run in tools/
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int WEB_UI_PORT = 8081;
    private static final int PROMETHEUS_PORT = 9249;
    private static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    /** Topic configs the manifests may add to those of {@link Topics}: durability, not behaviour. */
    private static final Set<String> EXTRA_TOPIC_CONFIGS = Set.of("min.insync.replicas");

    private static String pom;
    private static String dockerfile;
    private static Map<String, Object> compose;
    private static List<Map<String, Object>> manifests;
    private static Map<String, Map<String, String>> jobTopics;

    @BeforeAll
    static void read() throws IOException {
        pom = Files.readString(ROOT.resolve("pom.xml"));
        dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        compose = map(YAML.readValue(ROOT.resolve("docker/compose.yaml").toFile(), Map.class));
        manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/kubernetes"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<Map<String, Object>> docs =
                        YAML.readerFor(Map.class).readValues(file.toFile())) {
                    docs.readAll().stream()
                            .filter(d -> d != null && !d.isEmpty())
                            .forEach(manifests::add);
                }
            }
        }
        JobOptions defaults = JobOptions.defaults();
        jobTopics = new TreeMap<>();
        for (NewTopic t : Topics.all(defaults, Topics.DEFAULT_PARTITIONS)) {
            jobTopics.put(t.name(), t.configs());
        }
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileBuildsWithMavenThenRunsOnTheFlinkImageOfThePom() {
        List<String> from = lines(dockerfile, "^FROM\\s+(\\S+)");
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).isEqualTo("maven:3.9-eclipse-temurin-17");
        assertThat(from.get(1)).isEqualTo("flink:" + property("flink.version") + "-java17");
        assertThat(dockerfile).contains("mvn -B -pl job -DskipTests package");
        assertThat(dockerfileJarSource()).isEqualTo("/src/job/target/" + JAR_NAME + "-" + tag("version") + ".jar");
    }

    // ---------------------------------------------------------------- Compose

    @Test
    void composeUsesTheKafkaOfThePomAndTheImageBuiltFromTheDockerfile() {
        String jobImage = null;
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            Map<String, Object> build = map(service.getValue().get("build"));
            if (!build.isEmpty()) {
                assertThat(jobImage).as("one service builds the image").isNull();
                assertThat(build).containsEntry("context", "..").containsEntry("dockerfile", "docker/Dockerfile");
                jobImage = (String) service.getValue().get("image");
            }
        }
        assertThat(jobImage).isEqualTo(JAR_NAME + ":" + tag("version"));
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            String image = (String) service.getValue().get("image");
            if (image.startsWith("apache/kafka:")) {
                assertThat(image).as(service.getKey()).isEqualTo("apache/kafka:" + property("kafka.version"));
            } else {
                assertThat(image).as(service.getKey()).isEqualTo(jobImage);
            }
        }
        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:" + property("kafka.version"));
        assertThat(map(service("kafka").get("environment")))
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", 1)
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", 1);
    }

    @Test
    void composeCreatesExactlyTheJobsTopicsWithTheirConfigs() {
        String script = String.join("\n", strings(service("topic-init").get("command")));
        Map<String, Map<String, String>> created = new TreeMap<>();
        Matcher line = Pattern.compile("(?m)^\\s*create\\s+(--topic\\s.*)$").matcher(script);
        while (line.find()) {
            List<String> words = List.of(line.group(1).trim().split("\\s+"));
            Map<String, String> configs = new TreeMap<>();
            for (int i = 0; i < words.size(); i += 2) {
                switch (words.get(i)) {
                    case "--topic" -> created.put(words.get(i + 1), configs);
                    case "--partitions" ->
                        assertThat(words.get(i + 1)).isEqualTo(String.valueOf(Topics.DEFAULT_PARTITIONS));
                    case "--config" -> {
                        String[] kv = words.get(i + 1).split("=", 2);
                        configs.put(kv[0], kv[1]);
                    }
                    default -> throw new AssertionError("unexpected word in topic-init: " + words.get(i));
                }
            }
        }
        assertThat(created).isEqualTo(jobTopics);
    }

    @Test
    void composeFlinkServicesShareRocksDbCheckpointsAndPublishTheWebUiAndMetrics() {
        for (String name : List.of("jobmanager", "taskmanager")) {
            Map<String, Object> conf = flinkProperties(service(name));
            assertThat(conf)
                    .as(name)
                    .containsEntry("state.backend.type", "rocksdb")
                    .containsEntry("execution.checkpointing.incremental", true)
                    .containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY)
                    .containsEntry("metrics.reporter.prom.port", PROMETHEUS_PORT)
                    .containsEntry("jobmanager.rpc.address", "jobmanager")
                    .containsEntry("cluster.intercept-user-system-exit", "THROW");
            assertThat(containerPorts(service(name))).as(name).contains(PROMETHEUS_PORT);
            // checkpoints and savepoints on a volume both processes mount
            String checkpoints = (String) conf.get("execution.checkpointing.dir");
            assertThat(checkpoints).startsWith("file:///flink-data/");
            assertThat((String) conf.get("execution.checkpointing.savepoint-dir"))
                    .startsWith("file:///flink-data/");
            assertThat(strings(service(name).get("volumes"))).contains("flink-data:/flink-data");
        }
        assertThat(strings(service("jobmanager").get("ports"))).contains(WEB_UI_PORT + ":" + WEB_UI_PORT);
        assertThat(flinkProperties(service("jobmanager")).get("execution.checkpointing.dir"))
                .isEqualTo(flinkProperties(service("taskmanager")).get("execution.checkpointing.dir"));
    }

    @Test
    void composeSubmitsTheJarOfTheImageWithRealJobOptions() {
        List<String> command = strings(service("submitter").get("command"));
        assertThat(command.subList(0, 3)).containsExactly("flink", "run", "-d");
        assertThat(command.get(3)).isEqualTo(dockerfileJarTarget());
        JobOptions options = parseJobArgs(command.subList(4, command.size()));
        assertThat(options.bootstrapServers).isEqualTo("kafka:9092");
        assertThat(options.checkpointDir)
                .isEqualTo(flinkProperties(service("jobmanager")).get("execution.checkpointing.dir"));
        // the pseudonym key: a file given to the job, else the environment of the TaskManager
        if (options.pseudonymKeyFile == null) {
            assertThat(map(service("taskmanager").get("environment"))).containsKey(Pseudonymizer.KEY_ENV);
            assertThat(map(service("submitter").get("environment"))).containsKey(Pseudonymizer.KEY_ENV);
        }
        assertThat(map(service("submitter").get("depends_on"))).containsKeys("jobmanager", "taskmanager", "topic-init");
    }

    @Test
    void composeDemoGeneratorRunsDemoMainFromTheJobJarWithValidArguments() {
        List<String> command = strings(service("demo-generator").get("command"));
        int main = command.indexOf(DemoMain.class.getName());
        assertThat(main).isPositive();
        assertThat(command.get(0)).isEqualTo("java");
        assertThat(command.get(command.indexOf("-cp") + 1)).startsWith(dockerfileJarTarget() + ":");
        List<String> args = command.subList(main + 1, command.size());
        DemoMain.parse(args.toArray(new String[0]));
        assertThat(args.get(args.indexOf("--bootstrap-servers") + 1)).isEqualTo("kafka:9092");
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void flinkDeploymentRunsTheImagesJarWithSavepointUpgrades() throws Exception {
        Map<String, Object> spec = map(flinkDeployment().get("spec"));
        String[] version = property("flink.version").split("\\.");
        assertThat(spec.get("flinkVersion")).isEqualTo("v" + version[0] + "_" + version[1]);
        assertThat((String) spec.get("image")).endsWith("/" + JAR_NAME + ":" + tag("version"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local://" + dockerfileJarTarget());
        assertThat(job.get("entryClass")).isEqualTo(AttentionJob.class.getName());
        assertThat(Files.readString(ROOT.resolve("job/pom.xml")))
                .contains("<mainClass>" + AttentionJob.class.getName() + "</mainClass>");
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(map(map(spec.get("jobManager")).get("resource"))).containsKeys("memory", "cpu");
        assertThat(map(map(spec.get("taskManager")).get("resource"))).containsKeys("memory", "cpu");
    }

    @Test
    void flinkDeploymentUsesRocksDbIncrementalCheckpointsOnS3WithHaAndPrometheus() {
        Map<String, Object> spec = map(flinkDeployment().get("spec"));
        Map<String, Object> conf = map(spec.get("flinkConfiguration"));
        assertThat(conf)
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("high-availability.type", "kubernetes")
                .containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY)
                .containsEntry("metrics.reporter.prom.port", String.valueOf(PROMETHEUS_PORT))
                .containsEntry("cluster.intercept-user-system-exit", "THROW")
                .containsKeys("s3.endpoint", "s3.path.style.access");
        for (String dir : List.of(
                "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir")) {
            assertThat((String) conf.get(dir)).as(dir).startsWith("s3://");
        }
        assertThat(conf.getOrDefault("rest.port", String.valueOf(WEB_UI_PORT))).isEqualTo(String.valueOf(WEB_UI_PORT));

        Map<String, Object> container = mainContainer(spec);
        Map<String, Object> env = new LinkedHashMap<>();
        maps(container.get("env"))
                .forEach(e -> env.put((String) e.get("name"), e.getOrDefault("value", e.get("valueFrom"))));
        assertThat((String) env.get("ENABLE_BUILT_IN_PLUGINS"))
                .matches("flink-s3-fs-(hadoop|presto)-" + Pattern.quote(property("flink.version")) + "\\.jar");
        Map<String, Object> metricsPort = maps(container.get("ports")).stream()
                .filter(p -> "metrics".equals(p.get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(metricsPort.get("containerPort")).isEqualTo(PROMETHEUS_PORT);
        for (Map<String, Object> monitor : kind("PodMonitor")) {
            maps(map(monitor.get("spec")).get("podMetricsEndpoints"))
                    .forEach(e -> assertThat(e.get("port")).isEqualTo("metrics"));
        }
    }

    @Test
    void flinkDeploymentArgumentsAreJobOptionsAndTheKeyFileIsTheMountedSecret() {
        Map<String, Object> spec = map(flinkDeployment().get("spec"));
        JobOptions options = parseJobArgs(strings(map(spec.get("job")).get("args")));
        assertThat(options.checkpointDir)
                .isEqualTo(map(spec.get("flinkConfiguration")).get("execution.checkpointing.dir"));

        Map<String, Object> podSpec = map(map(spec.get("podTemplate")).get("spec"));
        Map<String, Object> volume = maps(podSpec.get("volumes")).stream()
                .filter(v -> v.containsKey("secret"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> secret = map(volume.get("secret"));
        Map<String, Object> item = maps(secret.get("items")).get(0);
        Map<String, Object> mount = maps(mainContainer(spec).get("volumeMounts")).stream()
                .filter(m -> m.get("name").equals(volume.get("name")))
                .findFirst()
                .orElseThrow();
        assertThat(options.pseudonymKeyFile).isEqualTo(mount.get("mountPath") + "/" + item.get("path"));
        assertThat(mount.get("readOnly")).isEqualTo(true);
        // the example Secret has the name and key the volume reads
        Map<String, Object> example = kind("Secret").stream()
                .filter(s -> map(s.get("metadata")).get("name").equals(secret.get("secretName")))
                .findFirst()
                .orElseThrow();
        assertThat(map(example.get("stringData"))).containsKey((String) item.get("key"));

        // Kafka: the bootstrap service of the Strimzi cluster the topics belong to
        String cluster =
                (String) map(map(kind("KafkaTopic").get(0).get("metadata")).get("labels"))
                        .get("strimzi.io/cluster");
        assertThat(options.bootstrapServers).startsWith(cluster + "-kafka-bootstrap.");
    }

    @Test
    void kafkaTopicsAreExactlyTheJobsTopicsWithTheirConfigs() {
        List<Map<String, Object>> topics = kind("KafkaTopic");
        Map<String, Map<String, String>> declared = new TreeMap<>();
        Set<Object> partitions =
                topics.stream().map(t -> map(t.get("spec")).get("partitions")).collect(Collectors.toSet());
        assertThat(partitions).as("every topic has the same partition count").hasSize(1);
        for (Map<String, Object> topic : topics) {
            Map<String, Object> metadata = map(topic.get("metadata"));
            assertThat(topic.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
            Map<String, Object> spec = map(topic.get("spec"));
            String name = (String) spec.getOrDefault("topicName", metadata.get("name"));
            Map<String, String> configs = new TreeMap<>();
            map(spec.get("config")).forEach((k, v) -> configs.put(k, String.valueOf(v)));
            assertThat(configs.keySet())
                    .as(name)
                    .containsAll(jobTopics.getOrDefault(name, Map.of()).keySet());
            configs.keySet().removeIf(EXTRA_TOPIC_CONFIGS::contains);
            declared.put(name, configs);
        }
        assertThat(topics).hasSize(declared.size());
        assertThat(declared).isEqualTo(jobTopics);
    }

    // ---------------------------------------------------------------- helpers

    /** Parses job arguments as {@code flink run} would hand them to the jar's main; fails on an unknown option. */
    private static JobOptions parseJobArgs(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        KafkaArgs.extractKafkaProperties(rest);
        JobOptions options = new JobOptions();
        new CommandLine(options).parseArgs(rest.toArray(new String[0]));
        Set<String> names = CommandLine.Model.CommandSpec.forAnnotatedObject(new JobOptions()).options().stream()
                .flatMap(o -> Stream.of(o.names()))
                .collect(Collectors.toSet());
        rest.stream()
                .filter(a -> a.startsWith("--"))
                .map(a -> a.split("=", 2)[0])
                .forEach(option -> assertThat(names).as("option of JobOptions").contains(option));
        AttentionJob.validate(options);
        return options;
    }

    private static Map<String, Object> flinkDeployment() {
        List<Map<String, Object>> deployments = kind("FlinkDeployment");
        assertThat(deployments).hasSize(1);
        assertThat(deployments.get(0).get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        return deployments.get(0);
    }

    private static Map<String, Object> mainContainer(Map<String, Object> spec) {
        return maps(map(map(spec.get("podTemplate")).get("spec")).get("containers")).stream()
                .filter(c -> "flink-main-container".equals(c.get("name")))
                .findFirst()
                .orElseThrow();
    }

    private static List<Map<String, Object>> kind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) (Map<?, ?>) map(compose.get("services"));
    }

    private static Map<String, Object> service(String name) {
        assertThat(services()).containsKey(name);
        return services().get(name);
    }

    /** FLINK_PROPERTIES of a compose service: {@code key: value} lines, read as YAML. */
    private static Map<String, Object> flinkProperties(Map<String, Object> service) {
        try {
            return map(YAML.readValue((String) map(service.get("environment")).get("FLINK_PROPERTIES"), Map.class));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Integer> containerPorts(Map<String, Object> service) {
        return strings(service.get("ports")).stream()
                .map(p -> Integer.parseInt(p.substring(p.lastIndexOf(':') + 1)))
                .toList();
    }

    private static String dockerfileJarSource() {
        return copyOfJar().group(1);
    }

    private static String dockerfileJarTarget() {
        return copyOfJar().group(2);
    }

    private static Matcher copyOfJar() {
        Matcher m = Pattern.compile(
                        "(?m)^COPY\\s+--from=build\\s+(?:--chown=\\S+\\s+)?(\\S+\\.jar)\\s+(\\S+\\.jar)\\s*$")
                .matcher(dockerfile);
        assertThat(m.find()).as("COPY of the job jar in docker/Dockerfile").isTrue();
        return m;
    }

    private static String property(String name) {
        return match(pom, "<" + Pattern.quote(name) + ">([^<]+)</");
    }

    /** A top-level element of the pom ({@code artifactId}, {@code version}), not one of a dependency. */
    private static String tag(String name) {
        String head = pom.substring(0, pom.indexOf("<properties>"));
        return match(head, "\\n  <" + name + ">([^<]+)</");
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> lines(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)" + regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    private static List<String> strings(Object o) {
        if (o instanceof String s) {
            return List.of(s);
        }
        return o == null
                ? List.of()
                : ((List<?>) o).stream().map(String::valueOf).toList();
    }
}
