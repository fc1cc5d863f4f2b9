package dev.spectra.deliveryworker.config;

import dev.spectra.common.job.JobTable;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** DynamoDB tables, provisioned by the platform; the worker never creates them. */
@ConfigurationProperties("spectra.tables")
@Validated
public record TablesProperties(@DefaultValue(JobTable.DEFAULT_NAME) @NotBlank String jobs) {}
