package io.distpatterns.shardrouter.web;

import java.time.Instant;

import io.distpatterns.platform.ids.SnowflakeLayout;
import io.distpatterns.platform.web.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "ids", description = "Snowflake IDs, decoded for humans")
@RestController
class IdController {

    record DecodedId(String id, Instant timestamp, int workerId, int sequence) {
    }

    @Operation(summary = "Decode a Snowflake ID into its timestamp, worker and sequence")
    @GetMapping("/ids/{id}")
    DecodedId decode(@PathVariable String id) {
        long value;
        try {
            value = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("id", "must be a decimal 64-bit integer, got '" + id + "'");
        }
        if (value < 0) {
            throw new InvalidFieldException("id", "must not be negative");
        }
        var decoded = SnowflakeLayout.decode(value);
        return new DecodedId(id, decoded.timestamp(), decoded.workerId(), decoded.sequence());
    }
}
