/** Implementation details of {@link io.valerix.backup.s3}; not for use outside it. */
package io.valerix.backup.s3.internal;
