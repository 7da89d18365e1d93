package dev.anet.tls;

import java.io.IOException;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLSession;

/**
 * The record layer under a {@link TlsTransport}: runs the handshake and turns application bytes
 * into TLS records and back. {@link EngineRecords} ({@code SSLEngine} over the blocking channel)
 * is the one anet uses; the benchmarks measure an {@code SSLSocket} one against it (see
 * {@code anet-benchmarks/README.md}, "TLS"). The {@link TlsTransport} around it keeps the
 * handshake's timer, the error messages and the rules of {@link Transport}.
 */
interface TlsRecords {

	/**
	 * Run the handshake on this thread.
	 * @throws IOException if it fails (the transport closes the channel)
	 */
	void handshake() throws IOException;

	/**
	 * Return the bytes the handshake has read so far (none within the timeout: the peer is not
	 * speaking TLS).
	 * @return the count
	 */
	long handshakeBytesRead();

	/**
	 * Return the session, once the handshake is done.
	 * @return the session
	 */
	SSLSession session();

	/**
	 * Read application bytes: see {@link Transport}.
	 * @param dst the caller's buffer
	 * @return the bytes read, 0 if the read brought none, -1 at end of stream
	 * @throws IOException if the read fails
	 */
	int read(ByteBuffer dst) throws IOException;

	/**
	 * Write every remaining byte of the buffers.
	 * @param srcs the buffers
	 * @param offset the first
	 * @param length how many
	 * @return the bytes written
	 * @throws IOException if the write fails
	 */
	long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

	/**
	 * Write every remaining byte of the buffer.
	 * @param src the buffer
	 * @return the bytes written
	 * @throws IOException if the write fails
	 */
	long write(ByteBuffer src) throws IOException;

	/**
	 * Check an idle connection nobody reads, without blocking: see {@link TlsTransport#probeIdle()}.
	 * @return whether healthy
	 * @throws IOException if the check failed
	 */
	boolean probeIdle() throws IOException;

	/**
	 * Return whether part of a record was read and waits for the rest.
	 * @return whether input is incomplete
	 */
	boolean hasPartialInput();

	/**
	 * Send {@code close_notify} if no write is under way (the caller bounds how long it may take).
	 * @return whether it was sent
	 * @throws IOException if the write failed
	 */
	boolean closeNotify() throws IOException;

}
