package dev.spectra.queryworker.config;

import dev.spectra.common.job.JobTable;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** DynamoDB tables, provisioned by the platform (never created by a service). */
@Validated
@ConfigurationProperties("spectra.tables")
public record TablesProperties(@NotBlank @DefaultValue(JobTable.DEFAULT_NAME) String jobs) {
}
