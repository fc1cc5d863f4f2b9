package dev.spectra.queryworker.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where statements run. Exactly one of a provisioned cluster or a serverless workgroup; there is no
 * default for either, so a worker that was not told where the warehouse is refuses to start.
 *
 * @param clusterIdentifier a provisioned cluster ({@code ClusterIdentifier})
 * @param workgroupName     a serverless workgroup ({@code WorkgroupName})
 * @param database          the database every statement runs in; Redshift's default database is {@code dev}
 */
@Validated
@ConfigurationProperties("spectra.warehouse")
public record WarehouseProperties(
        String clusterIdentifier,
        String workgroupName,
        @NotBlank @DefaultValue("dev") String database) {

    public WarehouseProperties {
        clusterIdentifier = blankToNull(clusterIdentifier);
        workgroupName = blankToNull(workgroupName);
        if ((clusterIdentifier == null) == (workgroupName == null)) {
            throw new IllegalArgumentException(
                    "set exactly one of spectra.warehouse.cluster-identifier and spectra.warehouse.workgroup-name");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
