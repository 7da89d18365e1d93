package dev.anet.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS records through an {@link SSLEngine} over the blocking channel: the handshake here, reading
 * in {@link RecordReader}, writing in {@link RecordWriter}. The engine lets a read and a write run
 * at once (it serializes its own steps inside); records written by either side hold the writer's
 * lock.
 */
final class EngineRecords implements TlsRecords {

	private static final Logger logger = LoggerFactory.getLogger(EngineRecords.class);

	/** Engine steps of one handshake before it is given up as looping. */
	private static final int MAX_HANDSHAKE_STEPS = 10_000;

	private final SSLEngine engine;

	private final String name;

	private final RecordWriter writer;

	private final RecordReader reader;

	EngineRecords(SocketChannel channel, SSLEngine engine, String name) {
		this.engine = engine;
		this.name = name;
		this.writer = new RecordWriter(channel, engine, name);
		this.reader = new RecordReader(channel, engine, this.writer, name);
	}

	@Override
	public void handshake() throws IOException {
		this.engine.beginHandshake();
		try {
			HandshakeStatus status = this.engine.getHandshakeStatus();
			for (int steps = 0; steps < MAX_HANDSHAKE_STEPS; steps++) {
				switch (status) {
					case NEED_WRAP -> status = wrapHandshake();
					case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> status = this.reader.unwrapHandshake();
					case NEED_TASK -> {
						runTasks(this.engine);
						status = this.engine.getHandshakeStatus();
					}
					default -> {
						// FINISHED or NOT_HANDSHAKING; a server may still hold a session ticket to send
						status = this.engine.getHandshakeStatus();
						if (status != HandshakeStatus.NEED_WRAP) {
							this.reader.handshakeDone();
							this.writer.handshakeDone();
							return;
						}
					}
				}
			}
			throw new SSLHandshakeException("TLS handshake with " + this.name + " did not end in "
					+ MAX_HANDSHAKE_STEPS + " steps");
		}
		catch (SSLException ex) {
			sendAlert();
			throw ex;
		}
	}

	private HandshakeStatus wrapHandshake() throws IOException {
		SSLEngineResult result = this.writer.wrapOnce();
		if (result.getStatus() == Status.CLOSED) {
			throw new SSLHandshakeException("TLS engine closed during the handshake with " + this.name);
		}
		return result.getHandshakeStatus();
	}

	/** Send the alert the engine holds after a fatal error, so that the peer learns why. */
	private void sendAlert() {
		try {
			this.writer.closeOutbound();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not send the TLS alert to {}", this.name, ex);
		}
	}

	@Override
	public long handshakeBytesRead() {
		return this.reader.handshakeBytesRead();
	}

	@Override
	public SSLSession session() {
		return this.engine.getSession();
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		return this.reader.read(dst);
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		return this.writer.write(srcs, offset, length);
	}

	@Override
	public long write(ByteBuffer src) throws IOException {
		return this.writer.write(src);
	}

	@Override
	public boolean probeIdle() throws IOException {
		return this.reader.probeIdle();
	}

	@Override
	public boolean hasPartialInput() {
		return this.reader.hasPartialInput();
	}

	@Override
	public boolean closeNotify() throws IOException {
		if (!this.writer.lock.tryLock()) {
			return false;
		}
		try {
			this.writer.closeOutbound();
			return true;
		}
		finally {
			this.writer.lock.unlock();
		}
	}

	static void runTasks(SSLEngine engine) {
		for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
			task.run();
		}
	}

}
