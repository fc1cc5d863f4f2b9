package dev.spectra.deploy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stand-ins the local overlay runs beside the services (k8s/overlays/local/emulators.yaml): each a Deployment and a
 * Service of one name, the name of its docker-compose.yml service, on its one port.
 */
enum LocalEmulator {
    KAFKA("kafka", 9092),
    DYNAMODB_LOCAL("dynamodb-local", 8000),
    S3MOCK("s3mock", 9090),
    POSTGRES("postgres", 5432),
    DATA_API_EMULATOR("data-api-emulator", 9500);

    /** The one-shot provisioning, a Job of the local overlay and the compose service {@code init}. */
    static final String INIT_JOB = "spectra-local-init";
    static final String INIT_COMPOSE_SERVICE = "init";

    final String name;
    final int port;

    LocalEmulator(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static Optional<LocalEmulator> named(String name) {
        return Arrays.stream(values()).filter(emulator -> emulator.name.equals(name)).findFirst();
    }

    /** The host:port the services are pointed at. */
    String endpoint() {
        return name + ":" + port;
    }
}
