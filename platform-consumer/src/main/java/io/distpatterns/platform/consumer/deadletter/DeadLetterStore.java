package io.distpatterns.platform.consumer.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.consumer.ConsumerSchema;
import io.distpatterns.platform.consumer.DeadLetterHeaders;
import io.distpatterns.platform.consumer.deadletter.DeadLetter.AuditEntry;
import io.distpatterns.platform.consumer.deadletter.DeadLetter.Filter;
import io.distpatterns.platform.consumer.deadletter.DeadLetter.Status;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code dead_letters} table of one service (created by {@link ConsumerSchema#migrateDeadLetters}
 * when the store is built) and its audit trail. Header values are kept as text: spring-kafka's binary
 * partition/offset/timestamp headers decoded to numbers, everything else as UTF-8.
 */
public class DeadLetterStore {

    private static final String COLUMNS = """
            id, dlt_topic, dlt_partition, dlt_offset, origin_topic, origin_partition, origin_offset, consumer_group,
            record_key, record_value, headers::text, event_id, event_type, traceparent, exception_class,
            exception_message, attempts, status, received_at, resolved_at""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    public DeadLetterStore(DataSource dataSource, JsonMapper json) {
        ConsumerSchema.migrateDeadLetters(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.json = json;
    }

    /** Stores a DLT record once; false when it was already stored (a redelivered DLT record). */
    public boolean collect(ConsumerRecord<String, String> record, String eventId, String eventType, String traceparent) {
        Map<String, String> headers = headers(record);
        String attempts = headers.get(DeadLetterHeaders.ATTEMPTS);
        return jdbc.update("""
                INSERT INTO dead_letters (dlt_topic, dlt_partition, dlt_offset, origin_topic, origin_partition, origin_offset,
                                          consumer_group, record_key, record_value, headers, event_id, event_type, traceparent,
                                          exception_class, exception_message, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (dlt_topic, dlt_partition, dlt_offset) DO NOTHING""",
                record.topic(), record.partition(), record.offset(),
                headers.getOrDefault(KafkaHeaders.DLT_ORIGINAL_TOPIC, originOf(record.topic())),
                parseInt(headers.get(KafkaHeaders.DLT_ORIGINAL_PARTITION)),
                parseLong(headers.get(KafkaHeaders.DLT_ORIGINAL_OFFSET)),
                headers.get(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP), record.key(), record.value(),
                json.writeValueAsString(headers), eventId, eventType, traceparent,
                headers.get(KafkaHeaders.DLT_EXCEPTION_FQCN), headers.get(KafkaHeaders.DLT_EXCEPTION_MESSAGE),
                attempts == null ? 1 : Integer.parseInt(attempts)) == 1;
    }

    /** Newest first, ids below {@code beforeId} (0 for the first page). */
    public List<DeadLetter> list(Filter filter, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dead_letters WHERE id < ?");
        List<Object> args = new ArrayList<>(List.of(beforeId <= 0 ? Long.MAX_VALUE : beforeId));
        where(filter, sql, args);
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), this::row, args.toArray());
    }

    public Optional<DeadLetter> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letters WHERE id = ?", this::row, id).stream().findFirst();
    }

    public List<AuditEntry> audit(long id) {
        return jdbc.query("SELECT action, actor, reason, outcome, at FROM dead_letter_audit WHERE dead_letter_id = ? ORDER BY id",
                (rs, n) -> new AuditEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()), id);
    }

    /** Dead letters still waiting for an operator. */
    public long depth() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM dead_letters WHERE status = 'NEW'", Long.class);
        return n == null ? 0 : n;
    }

    /** Runs {@code work} in one transaction on this store's database. */
    <T> T inTransaction(Supplier<T> work) {
        return tx.execute(status -> work.get());
    }

    /** The dead letter, locked until the end of the current transaction. */
    Optional<DeadLetter> lock(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letters WHERE id = ? FOR UPDATE", this::row, id).stream().findFirst();
    }

    void resolve(long id, Status status) {
        jdbc.update("UPDATE dead_letters SET status = ?, resolved_at = now() WHERE id = ?", status.name(), id);
    }

    void audit(long id, String action, String actor, String reason, String outcome) {
        jdbc.update("INSERT INTO dead_letter_audit (dead_letter_id, action, actor, reason, outcome) VALUES (?, ?, ?, ?, ?)",
                id, action, actor, reason, outcome);
    }

    private static void where(Filter filter, StringBuilder sql, List<Object> args) {
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().name());
        }
        if (filter.originTopic() != null) {
            sql.append(" AND origin_topic = ?");
            args.add(filter.originTopic());
        }
        if (filter.eventType() != null) {
            sql.append(" AND event_type = ?");
            args.add(filter.eventType());
        }
        if (filter.eventId() != null) {
            sql.append(" AND event_id = ?");
            args.add(filter.eventId());
        }
        if (filter.exception() != null) {
            sql.append(" AND (exception_class ILIKE ? OR exception_message ILIKE ?)");
            String like = "%" + filter.exception().replace("%", "\\%").replace("_", "\\_") + "%";
            args.add(like);
            args.add(like);
        }
    }

    private DeadLetter row(ResultSet rs, int n) throws SQLException {
        Timestamp resolved = rs.getTimestamp(20);
        return new DeadLetter(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getString(5),
                (Integer) rs.getObject(6), (Long) rs.getObject(7), rs.getString(8), rs.getString(9), rs.getString(10),
                json.readValue(rs.getString(11), new TypeReference<LinkedHashMap<String, String>>() { }),
                rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16), rs.getInt(17),
                Status.valueOf(rs.getString(18)), rs.getTimestamp(19).toInstant(), resolved == null ? null : resolved.toInstant());
    }

    /** Header values as text; the last value of a repeated header wins. */
    static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            byte[] v = header.value();
            String text;
            if (v == null) {
                text = null;
            } else if (v.length == 4 && (header.key().equals(KafkaHeaders.DLT_ORIGINAL_PARTITION)
                    || header.key().equals(DeadLetterHeaders.ATTEMPTS))) {
                text = Integer.toString(ByteBuffer.wrap(v).getInt());
            } else if (v.length == 8 && (header.key().equals(KafkaHeaders.DLT_ORIGINAL_OFFSET)
                    || header.key().equals(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP))) {
                text = Long.toString(ByteBuffer.wrap(v).getLong());
            } else {
                text = new String(v, StandardCharsets.UTF_8);
            }
            headers.put(header.key(), text);
        }
        return headers;
    }

    private static String originOf(String dltTopic) {
        return dltTopic.endsWith(".DLT") ? dltTopic.substring(0, dltTopic.length() - 4) : dltTopic;
    }

    private static Integer parseInt(String s) {
        return s == null ? null : Integer.valueOf(s);
    }

    private static Long parseLong(String s) {
        return s == null ? null : Long.valueOf(s);
    }
}
