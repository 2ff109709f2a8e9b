import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics in one JVM (cluster.sh up; a TopicCommand per topic costs a JVM start each), run
 * as a single-file source program with the Kafka classpath:
 * {@code java -cp KAFKA_CP CreateTopics.java BOOTSTRAP PARTITIONS TOPIC [--config K=V]... TOPIC ...}.
 * An existing topic is left as it is; waits until every partition has a leader. Exit code 1 on a
 * broker error or timeout, 2 on a usage error.
 */
public class CreateTopics {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: CreateTopics BOOTSTRAP PARTITIONS TOPIC [--config K=V]... [TOPIC ...]");
      System.exit(2);
    }
    int partitions = Integer.parseInt(args[1]);
    Map<String, Map<String, String>> topics = new LinkedHashMap<>();
    String last = null;
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--config") && last != null && i + 1 < args.length) {
        String[] kv = args[++i].split("=", 2);
        topics.get(last).put(kv[0], kv.length > 1 ? kv[1] : "");
      } else {
        last = args[i];
        topics.put(last, new LinkedHashMap<>());
      }
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> create = new ArrayList<>();
      topics.forEach((name, configs) ->
          create.add(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs)));
      int failures = 0;
      for (var e : admin.createTopics(create).values().entrySet()) {
        try {
          e.getValue().get();
          System.out.println("created topic " + e.getKey() + " " + topics.get(e.getKey()));
        } catch (ExecutionException ex) {
          if (ex.getCause() instanceof TopicExistsException) {
            System.out.println("topic " + e.getKey() + " exists");
          } else {
            System.err.println("cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage());
            failures++;
          }
        }
      }
      if (failures > 0) {
        System.exit(1);
      }
      long deadline = System.currentTimeMillis() + 60_000;
      while (true) {
        boolean ready = admin.describeTopics(topics.keySet()).allTopicNames().get().values().stream()
            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (ready) {
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          System.err.println("topics have no leader after 60 s");
          System.exit(1);
        }
        Thread.sleep(100);
      }
    }
  }
}
