package io.valerix.core.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.BackupQuotaExceededException;
import io.valerix.core.backup.BackupService;
import io.valerix.core.http.internal.SharedOkHttp;
import io.valerix.core.journal.internal.RowCodec;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@link BackupService} over HTTP with OkHttp; one POST per upload, never retried. */
public final class HttpBackupService implements BackupService {

    private static final MediaType ZIP = MediaType.get("application/zip");

    private final URI endpoint;
    private final OkHttpClient client;

    public HttpBackupService(URI endpoint, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, but was " + timeout);
        }
        if (!endpoint.getScheme().equals("http") && !endpoint.getScheme().equals("https")) {
            throw new IllegalArgumentException("endpoint must be an http or https URI, but was " + endpoint);
        }
        this.client = SharedOkHttp.client().newBuilder().callTimeout(timeout).build();
    }

    @Override
    public String upload(Bundle bundle) throws IOException {
        Request request = new Request.Builder()
                .url(endpoint.toString())
                .header("Valerix-Backup-Day", bundle.day().toString())
                .header("Valerix-Backup-Sha256", bundle.sha256())
                .post(RequestBody.create(bundle.file().toFile(), ZIP))
                .build();
        try (Response response = client.newCall(request).execute()) {
            String body = response.body().string();
            if (response.code() == 429) {
                throw new BackupQuotaExceededException(
                        bundle.day(),
                        BackupQuotaExceededException.RefusedBy.SERVICE,
                        "the backup service at " + endpoint + " refused the call of " + bundle.day() + " with 429: "
                                + excerpt(body));
            }
            if (!response.isSuccessful()) {
                throw new BackupException(
                        "the backup service at " + endpoint + " answered " + response.code() + ": " + excerpt(body));
            }
            try {
                JsonNode answer = RowCodec.JSON.readTree(body);
                return answer.path("id").asText(bundle.sha256());
            } catch (IOException e) {
                return bundle.sha256();
            }
        }
    }

    @Override
    public String location() {
        return endpoint.toString();
    }

    private static String excerpt(String body) {
        return body.length() <= 500 ? body : body.substring(0, 500) + "...";
    }
}
