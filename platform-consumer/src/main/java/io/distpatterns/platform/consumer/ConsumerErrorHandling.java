package io.distpatterns.platform.consumer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.distpatterns.platform.outbox.Topics;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handling of every listener: transient failures are retried in place with exponential
 * backoff and jitter; {@link UnprocessableEventException} (and the deserialization failures
 * spring-kafka already treats as fatal) go to {@code <topic>.DLT} at once; exhausted retries go
 * there too. Either way the offset moves on, so the partition keeps flowing.
 *
 * <p>DLT records keep the original key, value and headers (event id, traceparent from the relay),
 * plus spring-kafka's {@code kafka_dlt-original-topic/partition/offset/consumer-group},
 * {@code kafka_dlt-exception-*} and our {@value DeadLetterHeaders#ATTEMPTS}. Headers stay bounded:
 * previous exception headers are stripped, original-* headers are not appended again when present,
 * and a replay ({@link io.distpatterns.platform.consumer.deadletter.DeadLetterAdmin}) sends the record
 * back without any DLT header. Records of a DLT itself are never dead-lettered again (only logged).
 */
public final class ConsumerErrorHandling {

    private ConsumerErrorHandling() {
    }

    public static DefaultErrorHandler deadLettering(KafkaOperations<?, ?> template, ConsumerProperties.Retry retry) {
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, e) -> record.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)
                        ? null
                        : new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, -1));
        recoverer.setThrowIfNoDestinationReturned(false);
        recoverer.setAppendOriginalHeaders(false);
        recoverer.setStripPreviousExceptionHeaders(true);
        recoverer.setHeadersFunction((record, e) -> {
            Integer n = attempts.remove(key(record));
            return new RecordHeaders(new RecordHeader[] {new RecordHeader(DeadLetterHeaders.ATTEMPTS,
                    ByteBuffer.allocate(4).putInt(n == null ? 1 : n).array())});
        });

        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setJitter(retry.jitter().toMillis());
        backOff.setMaxAttempts(retry.maxAttempts() - 1); // retries after the first delivery

        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(UnprocessableEventException.class);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
                if (attempts.size() > 10_000) {
                    attempts.clear(); // records that succeeded on a retry leave their count behind
                }
                attempts.put(key(record), deliveryAttempt);
            }

            @Override
            public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
                attempts.remove(key(record));
            }
        });
        return handler;
    }

    private static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
