package dev.spectra.queryworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class QueryWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueryWorkerApplication.class, args);
    }
}
