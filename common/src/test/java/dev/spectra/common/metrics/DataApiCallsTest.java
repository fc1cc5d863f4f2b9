package dev.spectra.common.metrics;

import dev.spectra.common.aws.Verdict;
import dev.spectra.common.error.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DataApiCallsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DataApiCalls calls = new DataApiCalls(meters, List.of("ExecuteStatement", "DescribeStatement"));

    @Test
    void everyOutcomeOfEveryOperationExistsBeforeTheFirstCall() {
        assertThat(meters.find("spectra.dataapi.calls").counters()).hasSize(8)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aThrottledAttemptIsThrottledWhetherOrNotItIsTriedAgain() {
        Verdict throttled = new Verdict(Verdict.Kind.THROTTLED, ErrorCode.WAREHOUSE_UNAVAILABLE, "Rate exceeded");

        calls.failed("ExecuteStatement", throttled, true);
        calls.failed("ExecuteStatement", throttled, false);

        assertThat(count("ExecuteStatement", "throttled")).isEqualTo(2);
        assertThat(count("ExecuteStatement", "failed")).isZero();
    }

    @Test
    void otherFailuresAreRetriedOrFailedAsTheCallerDecides() {
        calls.failed("DescribeStatement", new Verdict(Verdict.Kind.TRANSIENT, ErrorCode.WAREHOUSE_UNAVAILABLE, "500"), true);
        calls.failed("DescribeStatement", new Verdict(Verdict.Kind.TRANSIENT, ErrorCode.WAREHOUSE_UNAVAILABLE, "500"), false);
        calls.failed("ExecuteStatement", new Verdict(Verdict.Kind.SESSION_REFUSED, ErrorCode.WAREHOUSE_UNAVAILABLE, "busy"), true);
        calls.failed("ExecuteStatement", new Verdict(Verdict.Kind.FATAL, ErrorCode.QUERY_FAILED, "syntax"), false);
        calls.succeeded("DescribeStatement");

        assertThat(count("DescribeStatement", "retried")).isEqualTo(1);
        assertThat(count("DescribeStatement", "failed")).isEqualTo(1);
        assertThat(count("DescribeStatement", "success")).isEqualTo(1);
        assertThat(count("ExecuteStatement", "retried")).isEqualTo(1);
        assertThat(count("ExecuteStatement", "failed")).isEqualTo(1);
    }

    private double count(String operation, String outcome) {
        return meters.get("spectra.dataapi.calls").tags("operation", operation, "outcome", outcome).counter().count();
    }
}
