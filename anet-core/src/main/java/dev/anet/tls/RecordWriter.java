package dev.anet.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The writing half of an {@link EngineRecords}: wraps the caller's buffers into records and writes
 * them.
 *
 * <pre>
 *   write(frames...) ──wrap──► [record ≤16 KiB][record][record][record] ──one write──► socket
 * </pre>
 *
 * A write wraps the caller's buffers (many frames; the engine gathers them into one record of up
 * to 16 KiB) into up to {@value NetBuffers#RECORDS} records per system call, in a buffer taken from
 * {@link NetBuffers} for the length of the write. Every write, and every record the engine must
 * send by itself (a handshake message, the answer to a key update, an alert, {@code close_notify}),
 * holds {@link #lock}, so records never interleave; the reader takes it only for the records the
 * engine asks for after an unwrap.
 */
final class RecordWriter {

	static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private final SocketChannel channel;

	private final SSLEngine engine;

	private final String name;

	final ReentrantLock lock = new ReentrantLock();

	private final ByteBuffer[] single = new ByteBuffer[1];

	/** The engine's largest record on the wire, read once the handshake is done. */
	private int packetSize = NetBuffers.MAX_PACKET;

	RecordWriter(SocketChannel channel, SSLEngine engine, String name) {
		this.channel = channel;
		this.engine = engine;
		this.name = name;
	}

	/** The handshake is done: note the session's record size (asking the engine takes its lock). */
	void handshakeDone() {
		this.packetSize = Math.min(this.engine.getSession().getPacketBufferSize(), NetBuffers.SIZE);
	}

	long write(ByteBuffer src) throws IOException {
		this.lock.lock();
		try {
			this.single[0] = src;
			return wrapAndWrite(this.single, 0, 1);
		}
		finally {
			this.single[0] = null;
			this.lock.unlock();
		}
	}

	long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		this.lock.lock();
		try {
			return wrapAndWrite(srcs, offset, length);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Wrap every remaining byte of the buffers and write the records, several per system call. */
	private long wrapAndWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
		int end = offset + length;
		int first = skipEmpty(srcs, offset, end);
		if (first == end) {
			return 0;
		}
		ByteBuffer out = NetBuffers.acquire();
		long consumed = 0;
		try {
			int packet = this.packetSize;
			while (first < end) {
				out.clear();
				while (first < end && out.remaining() >= packet) {
					SSLEngineResult result = this.engine.wrap(srcs, first, end - first, out);
					if (result.getStatus() == Status.CLOSED) {
						throw new SSLException("TLS connection to " + this.name + " is closed for writing");
					}
					if (result.getStatus() == Status.BUFFER_OVERFLOW) {
						break;
					}
					if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
						EngineRecords.runTasks(this.engine);
					}
					if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
						throw new SSLException("TLS engine of the connection to " + this.name
								+ " made no progress (renegotiation is not supported)");
					}
					consumed += result.bytesConsumed();
					first = skipEmpty(srcs, first, end);
				}
				out.flip();
				writeFully(out);
			}
			return consumed;
		}
		finally {
			NetBuffers.release(out);
		}
	}

	private static int skipEmpty(ByteBuffer[] srcs, int from, int end) {
		int i = from;
		while (i < end && !srcs[i].hasRemaining()) {
			i++;
		}
		return i;
	}

	/**
	 * Send what the engine wants to send by itself (a record of the handshake or after it), once.
	 * Takes {@link #lock} (reentrant: a caller may hold it already).
	 * @return the engine's result
	 * @throws IOException if the write fails
	 */
	SSLEngineResult wrapOnce() throws IOException {
		this.lock.lock();
		ByteBuffer out = NetBuffers.acquire();
		try {
			SSLEngineResult result = this.engine.wrap(EMPTY, out);
			out.flip();
			writeFully(out);
			return result;
		}
		finally {
			NetBuffers.release(out);
			this.lock.unlock();
		}
	}

	/**
	 * Send every record the engine asks for after an unwrap (e.g. the answer to a TLS 1.3 key update).
	 * @throws IOException if the write fails
	 */
	void wrapPending() throws IOException {
		this.lock.lock();
		try {
			while (this.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
				if (wrapOnce().bytesProduced() == 0) {
					break;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Close the engine's outbound side and send what it holds (an alert after a fatal error, or
	 * {@code close_notify}), a few records at most.
	 * @throws IOException if the write fails
	 */
	void closeOutbound() throws IOException {
		this.lock.lock();
		try {
			this.engine.closeOutbound();
			for (int i = 0; i < 4 && !this.engine.isOutboundDone(); i++) {
				wrapOnce();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void writeFully(ByteBuffer out) throws IOException {
		while (out.hasRemaining()) {
			this.channel.write(out);
		}
	}

}
