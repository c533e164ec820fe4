package io.valerix.backup.s3.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Turns the SDK's unchecked failures into the {@link IOException}s that {@link
 * io.valerix.core.backup.ArchiveStore} promises, with the object and S3's own error code in the
 * message (an operator reads "AccessDenied" and knows what to fix).
 */
public final class S3Failures {

    private S3Failures() {}

    public static IOException io(String operation, String object, SdkException e) {
        if (e instanceof NoSuchKeyException) {
            NoSuchFileException missing = new NoSuchFileException(object, null, "no such object");
            missing.initCause(e);
            return missing;
        }
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            return new IOException(
                    operation + " " + object + " failed: HTTP " + service.statusCode()
                            + (code == null ? "" : " " + code) + ": "
                            + service.awsErrorDetails().errorMessage(),
                    e);
        }
        return new IOException(operation + " " + object + " failed: " + e.getMessage(), e);
    }
}
