package dev.spectra.queryworker.messaging;

import dev.spectra.queryworker.config.TopicsProperties;
import dev.spectra.queryworker.testing.FakeWarehouse;
import dev.spectra.queryworker.testing.InMemoryJobStore;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;

/** The warehouse and the job table replaced by fakes; the topics the platform would provision. */
@TestConfiguration(proxyBeanMethods = false)
class ListenerTestFakes {

    @Bean
    @Primary
    FakeWarehouse fakeWarehouse(Clock clock) {
        return new FakeWarehouse(clock);
    }

    @Bean
    @Primary
    InMemoryJobStore inMemoryJobStore() {
        return new InMemoryJobStore();
    }

    // The platform provisions topics; in these tests the broker is the platform.
    @Bean
    NewTopic queryRequests(TopicsProperties topics) {
        return new NewTopic(topics.queryRequests(), 2, (short) 1);
    }

    @Bean
    NewTopic deadLetters(TopicsProperties topics) {
        return new NewTopic(topics.queryRequests() + ".DLT", 1, (short) 1);
    }

    @Bean
    NewTopic statementResults(TopicsProperties topics) {
        return new NewTopic(topics.statementResults(), 2, (short) 1);
    }

    @Bean
    NewTopic jobEvents(TopicsProperties topics) {
        return new NewTopic(topics.jobEvents(), 2, (short) 1);
    }
}
