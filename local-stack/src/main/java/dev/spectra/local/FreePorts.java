package dev.spectra.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

final class FreePorts {

    private static final int ATTEMPTS = 100;

    /**
     * Every port handed out in this JVM. The system may offer a port again as soon as its probe closed, before the
     * caller has bound it: a broker then got the same port for two listeners and refused to start.
     */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A loopback port that was free a moment ago and that no earlier call returned; the caller binds it at once. */
    static int next() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = probe();
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port that was not handed out already, in " + ATTEMPTS + " tries");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use; choose another with --port", e);
        }
    }
}
