package dev.spectra.gateway.config;

import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantTable;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * DynamoDB table names ({@code spectra.tables.*}); the platform provisions the tables.
 *
 * @param jobs    the job table, default {@value JobTable#DEFAULT_NAME}
 * @param tenants the tenant registry, default {@value TenantTable#DEFAULT_NAME}
 */
@Validated
@ConfigurationProperties("spectra.tables")
public record TableProperties(
        @NotBlank @DefaultValue(JobTable.DEFAULT_NAME) String jobs,
        @NotBlank @DefaultValue(TenantTable.DEFAULT_NAME) String tenants) {
}
