package io.distpatterns.gateway.web;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemExceptionHandlerTest {

    @Test
    void writesRfc9457FieldsAndEscapesDetail() {
        GatewayProblem problem = new GatewayProblem(HttpStatus.FORBIDDEN, "Forbidden", "client \"x\"\nnot admin");

        String json = ProblemExceptionHandler.json(problem, "/api/admin/x", "abc");

        assertThat(json).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"client \\\"x\\\"\\nnot admin\",\"instance\":\"/api/admin/x\",\"traceId\":\"abc\"}");
    }

    @Test
    void mapsTimeoutTo504AndUnreachableServiceTo502() {
        assertThat(ProblemExceptionHandler.toProblem(new TimeoutException()).status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(ProblemExceptionHandler.toProblem(new RuntimeException(new ConnectException("refused"))).status())
                .isEqualTo(HttpStatus.BAD_GATEWAY);
    }

    @Test
    void roundsRetryAfterUpToWholeSecondsAndNeverZero() {
        assertThat(GatewayProblem.retryAfterSeconds(java.time.Duration.ZERO)).isEqualTo(1);
        assertThat(GatewayProblem.retryAfterSeconds(java.time.Duration.ofMillis(1001))).isEqualTo(2);
    }
}
