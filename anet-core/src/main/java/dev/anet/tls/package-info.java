/**
 * TLS for anet connections, with the JDK's {@code javax.net.ssl} only: the configuration
 * ({@link dev.anet.tls.TlsConfig}), the {@link dev.anet.tls.Transport} seam that framing reads and
 * writes through (plain TCP or TLS), and the {@code SSLEngine}-driven {@link dev.anet.tls.TlsTransport}.
 */
@NullMarked
package dev.anet.tls;

import org.jspecify.annotations.NullMarked;
