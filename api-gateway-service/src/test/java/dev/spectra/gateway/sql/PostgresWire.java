package dev.spectra.gateway.sql;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of PostgreSQL's frontend/backend protocol (version 3) to hand the server one text in one
 * Parse message, exactly as written, and read what it thinks of it. A JDBC driver cannot do this: it
 * splits the text on semicolons with its own lexer first, which is the very thing under test.
 * Trust authentication only (the embedded test server's default).
 */
final class PostgresWire implements AutoCloseable {

    /** What the server answered: its rows (text format), or its error's SQLSTATE and message. */
    record Answer(List<List<String>> rows, String sqlState, String message) {
        boolean failed() {
            return sqlState != null;
        }

        boolean refusedAsMultipleCommands() {
            return "42601".equals(sqlState) && message.contains("cannot insert multiple commands into a prepared statement");
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    PostgresWire(int port, String user, String database) throws IOException {
        this(port, user, database, java.util.Map.of());
    }

    /** {@code settings} are sent in the startup message, as run-time parameters of the session. */
    PostgresWire(int port, String user, String database, java.util.Map<String, String> settings) throws IOException {
        socket = new Socket("127.0.0.1", port);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        ByteArrayOutputStream startup = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(startup);
        body.writeInt(196608);
        cstring(body, "user");
        cstring(body, user);
        cstring(body, "database");
        cstring(body, database);
        for (var setting : settings.entrySet()) {
            cstring(body, setting.getKey());
            cstring(body, setting.getValue());
        }
        body.writeByte(0);
        out.writeInt(startup.size() + 4);
        out.write(startup.toByteArray());
        out.flush();
        Answer answer = readUntilReady();
        if (answer.failed()) {
            throw new IOException("startup refused: " + answer.message());
        }
    }

    /** Parse only: the server's parser and analyser run, nothing executes. */
    Answer parse(String sql) throws IOException {
        sendParse(sql);
        sendSync();
        return readUntilReady();
    }

    /** Parse, bind and execute the unnamed statement, reading every row as text. */
    Answer run(String sql) throws IOException {
        sendParse(sql);
        message('B', body -> {
            cstring(body, "");
            cstring(body, "");
            body.writeShort(0);
            body.writeShort(0);
            body.writeShort(0);
        });
        message('E', body -> {
            cstring(body, "");
            body.writeInt(0);
        });
        sendSync();
        return readUntilReady();
    }

    private void sendParse(String sql) throws IOException {
        message('P', body -> {
            cstring(body, "");
            cstring(body, sql);
            body.writeShort(0);
        });
    }

    private void sendSync() throws IOException {
        message('S', body -> { });
        out.flush();
    }

    private interface Body {
        void write(DataOutputStream body) throws IOException;
    }

    private void message(char type, Body content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        content.write(new DataOutputStream(bytes));
        out.writeByte(type);
        out.writeInt(bytes.size() + 4);
        out.write(bytes.toByteArray());
    }

    private Answer readUntilReady() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        String sqlState = null;
        String message = null;
        while (true) {
            char type = (char) in.readUnsignedByte();
            byte[] payload = new byte[in.readInt() - 4];
            in.readFully(payload);
            DataInputStream body = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            switch (type) {
                case 'Z' -> {
                    return new Answer(rows, sqlState, message);
                }
                case 'R' -> {
                    int kind = body.readInt();
                    if (kind != 0) {
                        throw new IOException("the test server asks for a password (authentication " + kind + ")");
                    }
                }
                case 'D' -> {
                    int columns = body.readUnsignedShort();
                    List<String> row = new ArrayList<>(columns);
                    for (int i = 0; i < columns; i++) {
                        int length = body.readInt();
                        if (length < 0) {
                            row.add(null);
                        } else {
                            byte[] value = new byte[length];
                            body.readFully(value);
                            row.add(new String(value, StandardCharsets.UTF_8));
                        }
                    }
                    rows.add(row);
                }
                case 'E' -> {
                    while (true) {
                        int field = body.readUnsignedByte();
                        if (field == 0) {
                            break;
                        }
                        String value = readCString(body);
                        if (field == 'C') {
                            sqlState = value;
                        } else if (field == 'M') {
                            message = value;
                        }
                    }
                }
                default -> {
                    // ParseComplete, BindComplete, CommandComplete, ParameterStatus, BackendKeyData, notices
                }
            }
        }
    }

    private static String readCString(DataInputStream body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = body.readUnsignedByte(); b != 0; b = body.readUnsignedByte()) {
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void cstring(DataOutputStream body, String value) throws IOException {
        body.write(value.getBytes(StandardCharsets.UTF_8));
        body.writeByte(0);
    }

    @Override
    public void close() throws IOException {
        try {
            message('X', body -> { });
            out.flush();
        } finally {
            socket.close();
        }
    }
}
