package io.valerix.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one HTTP/1.1 request byte for byte over a fresh socket: unlike an HTTP client, it does not
 * normalize the request target or refuse header values, so fuzz targets reach the server's own
 * parsing. Each request closes its connection.
 */
public final class RawSocketHttp {

    /** A reply: status, headers with lower-case names, body as text. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private RawSocketHttp() {}

    /**
     * Sends {@code method target} with {@code headers} (name, value, ...) and {@code body}.
     *
     * @throws UncheckedIOException if the server closes without a status line
     */
    public static Reply send(URI server, String method, String target, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(server.getHost())
                .append(':')
                .append(server.getPort())
                .append("\r\n")
                .append("Connection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("no reply to " + method + " " + target, e);
        }
    }

    private static Reply read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new IOException("not an HTTP reply: '" + text.substring(0, Math.min(200, text.length())) + "'");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        // Connection: close, so the body is everything after the head (chunked bodies keep their framing).
        return new Reply(status, headers, new String(all, end + 4, all.length - end - 4, StandardCharsets.UTF_8));
    }
}
