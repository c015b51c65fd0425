package io.distpatterns.relay.web;

import java.util.Comparator;
import java.util.List;

import io.distpatterns.relay.domain.ParkedEvent;
import io.distpatterns.relay.domain.ParkedEventNotFoundException;
import io.distpatterns.relay.domain.UnknownSourceException;
import io.distpatterns.relay.persistence.OutboxSource;
import io.distpatterns.relay.persistence.SourceCatalog;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for parked rows: list them (every source), retry one (parked again after the attempts
 * if it still fails) or skip one (never sent; its aggregate's later events move on).
 */
@RestController
@RequestMapping("/outbox/parked")
class ParkedEventsController {

    private final SourceCatalog catalog;

    ParkedEventsController(SourceCatalog catalog) {
        this.catalog = catalog;
    }

    record ParkedEvents(List<ParkedEvent> events) {
    }

    record Outcome(String source, String eventId, String outcome) {
    }

    @GetMapping
    ParkedEvents list() {
        return new ParkedEvents(catalog.sources().stream()
                .sorted(Comparator.comparing(OutboxSource::name))
                .flatMap(s -> s.parked().stream()).toList());
    }

    @GetMapping("/{source}/{eventId}")
    ParkedEvent one(@PathVariable String source, @PathVariable long eventId) {
        return source(source).parked(eventId).orElseThrow(() -> new ParkedEventNotFoundException(source, eventId));
    }

    @PostMapping("/{source}/{eventId}/retry")
    Outcome retry(@PathVariable String source, @PathVariable long eventId) {
        if (!source(source).retry(eventId)) {
            throw new ParkedEventNotFoundException(source, eventId);
        }
        return new Outcome(source, Long.toString(eventId), "RETRYING");
    }

    @PostMapping("/{source}/{eventId}/skip")
    Outcome skip(@PathVariable String source, @PathVariable long eventId) {
        if (!source(source).skip(eventId)) {
            throw new ParkedEventNotFoundException(source, eventId);
        }
        return new Outcome(source, Long.toString(eventId), "SKIPPED");
    }

    private OutboxSource source(String name) {
        return catalog.source(name).orElseThrow(() -> new UnknownSourceException(name));
    }
}
