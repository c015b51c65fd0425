package io.distpatterns.systemtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.JsonNode;

/**
 * The faults of a run, one after another with {@link Profile#faultGap()} of plain load between
 * them, each written to the {@link Timeline}:
 * <ol>
 *   <li>{@code kill -9} of outbox-relay, then started again;</li>
 *   <li>the Kafka broker stopped for 15 s, then started again;</li>
 *   <li>duplicates: OrderPlaced records already on {@code orders.events} produced a second time, unchanged;</li>
 *   <li>a poison record (not JSON) on {@code orders.events}: it must reach inventory's dead letters
 *       while the partition moves on; an operator then discards it;</li>
 *   <li>inventory-service killed; while it is down one order shard's database is made unreachable;
 *       inventory comes back and answers the orders that piled up, so order-service cannot apply the
 *       answers for that shard's orders, retries and dead-letters them; the shard comes back (the
 *       fix) and the dead letters are replayed: those orders then complete.</li>
 * </ol>
 */
final class Faults {

    static final String UNREACHABLE_SHARD = "orders_shard_1";
    static final byte[] POISON = "{\"eventId\": this is not JSON".getBytes(StandardCharsets.UTF_8);

    private final Platform platform;
    private final Gateway gateway;
    private final EventLog events;
    private final Profile profile;
    private final Timeline timeline;
    private final String bootstrap;
    final Map<String, Object> outcomes = new java.util.LinkedHashMap<>();

    Faults(Platform platform, Gateway gateway, EventLog events, Profile profile, Timeline timeline, String bootstrap) {
        this.platform = platform;
        this.gateway = gateway;
        this.events = events;
        this.profile = profile;
        this.timeline = timeline;
        this.bootstrap = bootstrap;
    }

    void run() throws Exception {
        pause();
        timeline.record("kill -9 outbox-relay", platform.kill("outbox-relay"));
        timeline.record("start outbox-relay", platform.start("outbox-relay"));
        pause();
        timeline.record("stop Kafka broker", platform.stop("kafka"));
        Thread.sleep(15_000);
        timeline.record("start Kafka broker", platform.start("kafka"));
        pause();
        injectDuplicates(25);
        injectPoison();
        pause();
        shardOutageWhileInventoryRestarts();
        pause();
    }

    private void pause() throws InterruptedException {
        Thread.sleep(profile.faultGap().toMillis());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The last {@code count} OrderPlaced records seen, produced again byte for byte (same key, value, headers). */
    private void injectDuplicates(int count) throws Exception {
        List<EventLog.Event> placed = new ArrayList<>();
        for (EventLog.Event e : events.snapshot()) {
            if ("OrderPlaced".equals(e.eventType())) {
                placed.add(e);
            }
        }
        List<EventLog.Event> chosen = placed.subList(Math.max(0, placed.size() - count), placed.size());
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (EventLog.Event e : chosen) {
                producer.send(new ProducerRecord<>(e.topic(), null, e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8),
                        e.value(), e.headers())).get();
            }
        }
        outcomes.put("duplicates injected", chosen.size());
        timeline.record("inject duplicates", chosen.size() + " OrderPlaced records produced again onto orders.events");
    }

    private void injectPoison() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            var metadata = producer.send(new ProducerRecord<>(EventLog.ORDERS_EVENTS, "poison".getBytes(StandardCharsets.UTF_8), POISON)).get();
            timeline.record("inject poison", "a record that is not JSON onto orders.events partition "
                    + metadata.partition() + " offset " + metadata.offset());
            JsonNode letter = awaitDeadLetter("inventory", metadata.partition(), metadata.offset(), Duration.ofSeconds(90));
            if (letter == null) {
                outcomes.put("poison in inventory's dead letters", "NO");
                timeline.record("poison", "not in inventory's dead letters after 90 s");
                return;
            }
            outcomes.put("poison in inventory's dead letters", "yes, id " + letter.path("id").asLong()
                    + ", " + letter.path("exceptionClass").asString());
            timeline.record("poison dead-lettered", "inventory dead letter " + letter.path("id").asLong() + ": "
                    + letter.path("exceptionClass").asString() + " " + letter.path("exceptionMessage").asString());
            Gateway.Response discard = gateway.admin("POST", "/api/admin/inventory/dead-letters/"
                    + letter.path("id").asLong() + "/discard", Map.of("reason", "not an event: garbage injected by the system test"));
            outcomes.put("poison discarded", discard.status() + " " + discard.body());
            timeline.record("discard poison", discard.status() + " " + discard.body());
        }
    }

    /** The dead letter of one origin record in {@code service}'s dead letters, waiting up to {@code within}. */
    private JsonNode awaitDeadLetter(String service, int partition, long offset, Duration within) throws InterruptedException {
        long deadline = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Gateway.Response r = gateway.admin("GET", "/api/admin/" + service
                    + "/dead-letters?originTopic=" + EventLog.ORDERS_EVENTS + "&limit=500", null);
            if (r.status() == 200) {
                for (JsonNode item : r.json().path("items")) {
                    if (item.path("originPartition").asInt() == partition && item.path("originOffset").asLong() == offset) {
                        return item;
                    }
                }
            }
            Thread.sleep(2000);
        }
        return null;
    }

    private void shardOutageWhileInventoryRestarts() throws Exception {
        String database = UNREACHABLE_SHARD + Platform.DATABASE_SUFFIX;
        timeline.record("kill -9 inventory-service", platform.kill("inventory-service"));
        Thread.sleep(10_000);
        platform.reachable(database, false);
        timeline.record("order shard unreachable", database + ": ALLOW_CONNECTIONS false, its connections terminated");
        timeline.record("start inventory-service", platform.start("inventory-service"));
        // Keep the shard away until inventory has worked off the backlog, order-service has read every
        // answer and its collector every dead letter: by then each answer for the unreachable shard was
        // retried, dead-lettered and stored.
        // Under steady load the lag is rarely exactly 0: a dead-letter count that stopped growing says the
        // same (no order of the unreachable shard can be placed meanwhile, so no new answer for it comes).
        long deadline = System.currentTimeMillis() + 300_000;
        int quietRounds = 0;
        long lag = -1;
        int before = -1;
        while (System.currentTimeMillis() < deadline && quietRounds < 3) {
            Thread.sleep(5000);
            long[] lags = {lag("inventory-service", EventLog.ORDERS_EVENTS), lag("order-service", EventLog.INVENTORY_EVENTS),
                    lag("order-service-dead-letters", EventLog.INVENTORY_EVENTS + ".DLT")};
            lag = Arrays.stream(lags).anyMatch(l -> l < 0) ? -1 : Arrays.stream(lags).sum();
            int letters = newDeadLetters("orders").size();
            quietRounds = lag == 0 || (letters > 0 && letters == before) ? quietRounds + 1 : 0;
            before = letters;
        }
        timeline.record("backlog worked off", "consumer lag " + lag + "; order-service dead letters: " + before);
        platform.reachable(database, true);
        timeline.record("order shard reachable again", database + " (the fix); order-service dead letters waiting: " + before);
        outcomes.put("order-service dead letters from the shard outage", before);
        // As an operator would: replay once the service is back on the shard (its readiness includes every
        // shard; its pool reconnects with a backoff), then again for any letter a replay sent back.
        timeline.record("order-service ready again", platform.awaitReady("order-service", 8081, Duration.ofMinutes(2)));
        int round = 0;
        for (List<JsonNode> waiting = newDeadLetters("orders"); !waiting.isEmpty() && round < 5;
             waiting = newDeadLetters("orders")) {
            round++;
            replayAll("orders", waiting);
            outcomes.put("orders dead letter replay rounds", round);
            Thread.sleep(20_000); // a replayed answer that fails again is back in the dead letters within its retries
        }
    }

    /** Records of {@code topic} the consumer group has not committed yet; -1 when Kafka does not answer. */
    private long lag(String group, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return 0; // nothing was ever sent to it
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var partition : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions()) {
                latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
            }
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata position = committed.get(end.getKey());
                lag += end.getValue().offset() - (position == null ? 0 : position.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The NEW dead letters of {@code service}; an answer other than 200 is asked again, for up to a minute. */
    List<JsonNode> newDeadLetters(String service) throws InterruptedException {
        Gateway.Response r = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            r = gateway.admin("GET", "/api/admin/" + service + "/dead-letters?status=NEW&limit=500", null);
            if (r.status() == 200) {
                List<JsonNode> items = new ArrayList<>();
                r.json().path("items").forEach(items::add);
                return items;
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("the dead letters of " + service + " could not be listed: " + r.status() + " " + r.body());
    }

    /** Replays every NEW dead letter of {@code service}, one by one (the replay rate limit answers 429: wait). */
    private void replayAll(String service, List<JsonNode> letters) throws InterruptedException {
        int replayed = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode letter : letters) {
            long id = letter.path("id").asLong();
            for (int attempt = 0; attempt < 20; attempt++) {
                Gateway.Response r = gateway.admin("POST", "/api/admin/" + service + "/dead-letters/" + id + "/replay",
                        Map.of("reason", "shard reachable again"));
                if (r.status() == 200) {
                    replayed++;
                    break;
                }
                if (!r.retryable() || attempt == 19) {
                    failures.add(id + ": " + r.status() + " " + r.body());
                    break;
                }
                Thread.sleep(1000);
            }
        }
        outcomes.merge(service + " dead letters replayed", replayed, (a, b) -> (Integer) a + (Integer) b);
        if (!failures.isEmpty()) {
            outcomes.put(service + " dead letter replays that failed", failures);
        }
        timeline.record("replay " + service + " dead letters", replayed + " replayed" + (failures.isEmpty() ? "" : ", failed: " + failures));
    }
}
