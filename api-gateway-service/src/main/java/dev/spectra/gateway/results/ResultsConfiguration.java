package dev.spectra.gateway.results;

import dev.spectra.common.aws.AwsClients;
import dev.spectra.gateway.aws.AwsClientConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class ResultsConfiguration {

    /** Links point at {@code spectra.gateway.results.link-endpoint} when it is set, else where the S3 client goes. */
    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner(AwsClients aws, ResultsProperties results) {
        return AwsClientConfiguration.presigner(aws, results.configuredLinkEndpoint());
    }

    @Bean
    ResultObjects resultObjects(S3AsyncClient s3, S3Presigner presigner, JsonMapper jsonMapper, ResultsProperties results) {
        return new S3ResultObjects(s3, presigner, jsonMapper, Math.toIntExact(results.maxManifestSize().toBytes()));
    }

    /** Signing may block on a credentials refresh, so it runs on Reactor's elastic pool, never on an event loop. */
    @Bean
    ResultReader resultReader(ResultObjects resultObjects, JsonMapper jsonMapper, Clock clock, ResultsProperties results,
            MeterRegistry meters) {
        return new ResultReader(resultObjects, jsonMapper, clock, results, Schedulers.boundedElastic(), meters);
    }
}
