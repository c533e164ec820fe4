/** Implementation of {@link io.valerix.core.backup}: codecs, the shipper, the restorer. Not API. */
package io.valerix.core.backup.internal;
