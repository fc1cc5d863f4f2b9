package dev.spectra.local.dataapi;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.io.IOException;

/**
 * One test warehouse, a Data API emulator with default settings in front of it, and the real SDK client
 * pointed at it, for a whole test class: {@code @RegisterExtension static final EmulatorExtension stack = ...}.
 */
final class EmulatorExtension implements BeforeAllCallback, AfterAllCallback {

    private TestWarehouse warehouse;
    private DataApiEmulator emulator;
    private RedshiftDataClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        warehouse = TestWarehouse.start();
        emulator = DataApiEmulator.start(warehouse.settings());
        client = TestWarehouse.clientFor(emulator.endpoint());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        client.close();
        emulator.close();
        warehouse.close();
    }

    TestWarehouse warehouse() {
        return warehouse;
    }

    DataApiEmulator emulator() {
        return emulator;
    }

    RedshiftDataClient client() {
        return client;
    }
}
