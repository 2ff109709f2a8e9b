package org.attentionanalytics.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.attentionanalytics.job.JobOptions;

/**
 * The job's topics with the configuration they need (DESIGN.md sections 1, 2 and 9), and their
 * creation through an {@link Admin}. Every topic gets the same partition count and the broker's
 * default replication factor. Retention (DESIGN.md section 9), with {@code --state-ttl} (30 days
 * by default) as the per-user retention:
 *
 * <ul>
 *   <li>{@code interest-vectors}, {@code recommendations} and their {@code -live} topics: {@code
 *       cleanup.policy=compact,delete}, {@code retention.ms} =
 *       state TTL (a user who stopped coming disappears; an erased user's tombstone is compacted
 *       away with the vectors before it); with the TTL disabled (0) compacted only, like the state.
 *   <li>The other per-user outputs ({@code attention-sessions}, {@code attention-page-views},
 *       {@code attention-alerts}, {@code attention-reports}, {@code focus-block-reports}): {@code
 *       retention.ms} = state TTL, so
 *       no per-user record outlives the state it came from by more than that; broker default with
 *       the TTL disabled. Not compacted: sessions and page views are upserts by {@code session_id}
 *       and {@code view_id}, but keyed by the pseudonym, so compaction would keep only a user's
 *       latest record.
 *   <li>{@code attention-dlq}: {@code retention.ms} of {@link #DEAD_LETTER_RETENTION} (for
 *       debugging; redacted, keyed by pseudonyms).
 *   <li>{@code content-catalog}: compacted. Inputs ({@code focus-blocks} as {@code
 *       attention-budgets}), {@code topic-trends} (differentially private
 *       aggregates) and {@code privacy-audit} (consume it into your own audit store): the broker's
 *       defaults (Kafka: 7 days).
 * </ul>
 */
public final class Topics {
    /** Partitions per topic when nothing else is asked for. */
    public static final int DEFAULT_PARTITIONS = 2;
    /** Retention of the interest vectors with the default options: the per-user state retention of DESIGN.md section 9. */
    public static final Duration INTEREST_VECTOR_RETENTION = Duration.ofDays(30);
    /** Retention of the dead-letter topic. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(7);
    /** How long {@link #create} waits for created topics to have a leader on every partition. */
    public static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);

    private Topics() {}

    /**
     * @return the input topic names of {@code options}, in {@link RecordType} order; with {@code
     *     --snowplow} {@code --topic.snowplow} last (as {@link #all})
     */
    public static List<String> inputs(JobOptions options) {
        List<String> names = new ArrayList<>(names(options, false));
        if (options.snowplow) {
            names.add(options.snowplowTopic);
        }
        return names;
    }

    /** @return the output topic names of {@code options} (the dead-letter topic included), in {@link RecordType} order */
    public static List<String> outputs(JobOptions options) {
        return names(options, true);
    }

    /**
     * @param partitions partitions of every topic, at least 1
     * @return every topic of the job, inputs then outputs, with their topic configs; with {@code
     *     --snowplow} also {@code --topic.snowplow} (last, broker defaults as the other inputs)
     */
    public static List<NewTopic> all(JobOptions options, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (RecordType type : RecordType.values()) {
            topics.add(new NewTopic(type.topic(options), Optional.of(partitions), Optional.empty())
                    .configs(configs(type, options.stateTtl)));
        }
        if (options.snowplow) { // Snowplow enriched TSV, no RecordType of its own: an input, broker defaults
            topics.add(
                    new NewTopic(options.snowplowTopic, Optional.of(partitions), Optional.empty()).configs(Map.of()));
        }
        return topics;
    }

    /**
     * Creates every topic of the job ({@link #all}) that does not exist yet and waits until all
     * are usable. Existing topics are kept as they are.
     *
     * @throws KafkaException when the broker refuses a topic
     * @throws TimeoutException when the topics do not become usable within {@link #CREATE_TIMEOUT}
     */
    public static void createAll(Admin admin, JobOptions options, int partitions) {
        create(admin, all(options, partitions), CREATE_TIMEOUT);
    }

    /**
     * Creates {@code topics} (an existing topic of the same name is left unchanged) and waits until
     * each has a leader on every partition and that leader answers for it (a {@code ListOffsets}
     * request), so producers and the job's sources can use them at once.
     *
     * <p>Why the second step: the metadata can name the leader a moment before the broker leads the
     * partition. A produce request in that moment fails with a retriable error; an idempotent
     * producer's next batch for the partition, sent behind it, may land once the broker leads it
     * (the broker takes any first sequence number of a producer it does not know), and the retried
     * first batch is then refused as out of order until the producer's delivery timeout (2 min)
     * fails it: records lost, seen in the ITCases on a busy machine.
     *
     * @throws KafkaException when the broker refuses a topic (bad config, too many partitions...)
     * @throws TimeoutException when they are not usable within {@code timeout}
     */
    public static void create(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException(
                            "cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while creating topic " + name, e);
            }
        });
        awaitUsable(admin, topics.stream().map(NewTopic::name).collect(Collectors.toSet()), timeout);
    }

    private static void awaitUsable(Admin admin, Set<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "";
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get();
                Optional<String> leaderless = descriptions.values().stream()
                        .filter(d -> d.partitions().stream()
                                .anyMatch(p -> p.leader() == null || p.leader().isEmpty()))
                        .map(TopicDescription::name)
                        .findFirst();
                if (leaderless.isEmpty()) {
                    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                    descriptions
                            .values()
                            .forEach(d -> d.partitions()
                                    .forEach(p -> partitions.put(
                                            new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                    admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs((int)
                                            Math.min(Integer.MAX_VALUE, left)))
                            .all()
                            .get(); // the admin client retries while a leader does not answer for its partition yet
                    return;
                }
                lastProblem = "no leader yet for a partition of " + leaderless.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException
                        || e.getCause() instanceof RetriableException)) {
                    throw new KafkaException(
                            "cannot describe topics " + names + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
                lastProblem = e.getCause().getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for topics " + names, e);
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + names + " not usable after " + timeout + ": " + lastProblem);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for topics " + names, e);
            }
        }
    }

    /**
     * @param stateTtl {@code --state-ttl}; zero: the state never expires
     * @return the topic configs of {@code type}'s topic (see the class comment)
     */
    static Map<String, String> configs(RecordType type, Duration stateTtl) {
        boolean ttl = stateTtl != null && !stateTtl.isZero() && !stateTtl.isNegative();
        String retention = ttl ? Long.toString(stateTtl.toMillis()) : null;
        switch (type) {
            case INTEREST_VECTOR:
            case INTEREST_VECTOR_LIVE:
            case RECOMMENDATION:
            case RECOMMENDATION_LIVE:
                return ttl
                        ? Map.of("cleanup.policy", "compact,delete", "retention.ms", retention)
                        : Map.of("cleanup.policy", "compact");
            case SESSION_SUMMARY:
            case PAGE_VIEW:
            case ATTENTION_ALERT:
            case DAILY_ATTENTION_REPORT:
            case FOCUS_BLOCK_REPORT:
                return ttl ? Map.of("retention.ms", retention) : Map.of();
            case DEAD_LETTER:
                return Map.of("retention.ms", Long.toString(DEAD_LETTER_RETENTION.toMillis()));
            case CONTENT_PROFILE:
                return Map.of("cleanup.policy", "compact");
            default:
                return Map.of();
        }
    }

    private static List<String> names(JobOptions options, boolean output) {
        return Arrays.stream(RecordType.values())
                .filter(t -> t.isOutput() == output)
                .map(t -> t.topic(options))
                .toList();
    }
}
