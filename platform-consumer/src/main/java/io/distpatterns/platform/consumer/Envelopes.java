package io.distpatterns.platform.consumer;

import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.platform.consumer.UnprocessableEventException.Reason;
import io.distpatterns.platform.outbox.EventEnvelope;

/**
 * Reads the {@link EventEnvelope} JSON value of a record and its payload. Anything malformed is an
 * {@link UnprocessableEventException}: a record that does not parse today never will.
 */
public final class Envelopes {

    private final JsonMapper json;
    private final Validator validator;

    public Envelopes(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** The envelope of {@code value}; eventId, eventType, aggregateId and payload are required. */
    public EventEnvelope parse(String value) {
        if (value == null || value.isBlank()) {
            throw new UnprocessableEventException(Reason.UNPARSEABLE, "empty record value");
        }
        EventEnvelope envelope;
        try {
            envelope = json.readValue(value, EventEnvelope.class);
        } catch (JacksonException e) {
            throw new UnprocessableEventException(Reason.UNPARSEABLE, "not an event envelope: " + e.getOriginalMessage(), e);
        }
        if (envelope == null || blank(envelope.eventId()) || blank(envelope.eventType()) || blank(envelope.aggregateId())
                || envelope.payload() == null || envelope.payload().isNull()) {
            throw new UnprocessableEventException(Reason.SCHEMA_INVALID,
                    "envelope lacks eventId, eventType, aggregateId or payload");
        }
        return envelope;
    }

    /** The payload as {@code type}, checked with its bean-validation constraints. */
    public <T> T payload(EventEnvelope envelope, Class<T> type) {
        T payload;
        try {
            payload = json.treeToValue(envelope.payload(), type);
        } catch (JacksonException e) {
            throw new UnprocessableEventException(Reason.SCHEMA_INVALID,
                    envelope.eventType() + " payload does not match its schema: " + e.getOriginalMessage(), e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = violations.iterator().next();
            throw new UnprocessableEventException(Reason.SCHEMA_INVALID,
                    envelope.eventType() + " payload " + first.getPropertyPath() + " " + first.getMessage());
        }
        return payload;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
