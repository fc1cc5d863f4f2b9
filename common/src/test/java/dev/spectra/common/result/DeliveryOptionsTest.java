package dev.spectra.common.result;

import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryOptionsTest {

    @Test
    void theDefaultIsAutoJsonArrayUncompressedWithoutLimits() {
        assertThat(DeliveryOptions.DEFAULT).isEqualTo(new DeliveryOptions(Disposition.AUTO, ResultFormat.JSON_ARRAY, Compression.NONE, null, null));
        assertThat(DeliveryOptions.DEFAULT.mayBeInline()).isTrue();
        assertThat(DeliveryOptions.DEFAULT.unloaded()).isFalse();
    }

    @Test
    void inlineDeliversOnlyUncompressedJsonArray() {
        assertThatThrownBy(() -> new DeliveryOptions(Disposition.INLINE, ResultFormat.CSV, Compression.NONE, null, null))
                .hasMessageContaining("INLINE delivers only format JSON_ARRAY");
        assertThatThrownBy(() -> new DeliveryOptions(Disposition.INLINE, ResultFormat.JSON_ARRAY, Compression.GZIP, null, null))
                .hasMessageContaining("'compression' applies to EXTERNAL_LINKS");
    }

    @Test
    void parquetIsNeitherGzippedNorCutAtBytes() {
        assertThatThrownBy(() -> new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.PARQUET, Compression.GZIP, null, null))
                .hasMessageContaining("PARQUET");
        assertThatThrownBy(() -> new DeliveryOptions(Disposition.AUTO, ResultFormat.PARQUET, Compression.NONE, null, 10L))
                .hasMessageContaining("row_limit");
    }

    @Test
    void limitsArePositive() {
        assertThatThrownBy(() -> new DeliveryOptions(Disposition.AUTO, ResultFormat.CSV, Compression.NONE, 0L, null))
                .hasMessageContaining("row_limit");
        assertThatThrownBy(() -> new DeliveryOptions(Disposition.AUTO, ResultFormat.CSV, Compression.NONE, null, -1L))
                .hasMessageContaining("byte_limit");
    }

    @Test
    void parquetAndCsvLinksWithoutAByteLimitAreUnloadedByTheWarehouse() {
        assertThat(new DeliveryOptions(Disposition.AUTO, ResultFormat.PARQUET, Compression.NONE, 5L, null).unloaded()).isTrue();
        assertThat(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, null, null).unloaded()).isTrue();
        assertThat(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, null, 100L).unloaded()).isFalse();
        assertThat(new DeliveryOptions(Disposition.AUTO, ResultFormat.CSV, Compression.NONE, null, null).unloaded()).isFalse();
        assertThat(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.JSON_LINES, Compression.NONE, null, null).unloaded()).isFalse();
    }

    @Test
    void aCsvResultTheWarehouseDoesNotUnloadIsReadAsCsvFromTheDataApi() {
        assertThat(new DeliveryOptions(Disposition.AUTO, ResultFormat.CSV, Compression.NONE, null, null).csvFromDataApi()).isTrue();
        assertThat(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, null, 10L).csvFromDataApi()).isTrue();
        assertThat(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, null, null).csvFromDataApi()).isFalse();
        assertThat(DeliveryOptions.DEFAULT.csvFromDataApi()).isFalse();
    }

    @Test
    void aLocationBelongsToOneJobsFolderOnly() {
        TenantId acme = TenantId.of("acme");
        JobId job = JobId.random();
        ResultLocation chunk = new ResultLocation("b", ResultLocation.jobPrefix(acme, job) + "d1/chunk-00000.csv");

        assertThat(chunk.isUnder(acme, job)).isTrue();
        assertThat(chunk.isUnder(TenantId.of("globex"), job)).isFalse();
        assertThat(new ResultLocation("b", ResultLocation.jobPrefix(acme, job) + "../x").isUnder(acme, job)).isFalse();
        assertThat(ResultLocation.parse(chunk.toString())).isEqualTo(chunk);
    }
}
