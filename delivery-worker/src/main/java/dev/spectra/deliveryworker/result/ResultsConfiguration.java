package dev.spectra.deliveryworker.result;

import dev.spectra.deliveryworker.config.DeliveryProperties;
import dev.spectra.deliveryworker.config.ResultsProperties;
import dev.spectra.deliveryworker.delivery.DeliveryWorkerId;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The results bucket and what writes into it. */
@Configuration(proxyBeanMethods = false)
public class ResultsConfiguration {

    @Bean
    public ResultStore resultStore(S3AsyncClient s3, ResultsProperties results, DeliveryProperties delivery) {
        return new LimitedResultStore(new S3ResultStore(s3, results.bucket()), delivery.maxUploads());
    }

    @Bean
    public ResultWriter resultWriter(ResultStore store, JsonMapper json, DeliveryProperties delivery) {
        return new ResultWriter(store, json, delivery);
    }

    @Bean
    public UnloadedResult unloadedResult(ResultStore store, JsonMapper json) {
        return new UnloadedResult(store, json);
    }

    @Bean
    public DeliveryWorkerId deliveryWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return DeliveryWorkerId.of(host);
    }
}
