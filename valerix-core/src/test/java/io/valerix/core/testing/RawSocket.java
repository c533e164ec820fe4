package io.valerix.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One raw TCP connection to a server, for requests no well-behaved client would send: trickled
 * headers, slow or lying bodies, bad chunks, huge headers, lowercase methods. Reads HTTP/1.1
 * replies by hand. Not thread-safe; one per test thread.
 */
public final class RawSocket implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A reply as read off the wire; header names in lower case. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String problemType() {
            return json().path("type").asText();
        }

        public boolean closesConnection() {
            return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the server at {@code base}; every read gives up after {@code readTimeout}. */
    public static RawSocket connect(URI base, Duration readTimeout) {
        try {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            return new RawSocket(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code text} as ISO-8859-1 bytes; false if the server has closed the connection. */
    public boolean send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Reads one reply (status line, headers, a Content-Length or chunked body). */
    public Reply readReply() {
        try {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new UncheckedIOException(new IOException("connection closed before a reply"));
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(readLine().trim(), 16);
                        size > 0;
                        size = Integer.parseInt(readLine().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    readLine();
                }
                readLine();
            }
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads until the server closes the connection; true if it did (end of stream or reset) within
     * the read timeout, false if the connection was still open then.
     */
    public boolean awaitClosedByServer() {
        try {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // Discard whatever comes before the close.
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test connection; nothing to do.
        }
    }
}
