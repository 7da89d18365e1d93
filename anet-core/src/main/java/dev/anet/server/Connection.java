package dev.anet.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSession;

import dev.anet.tls.Transport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: what a handler sees of it ({@link ServerConnection}), its write slots
 * and its {@link AnswerWriter}, its timing for the {@link Watchdog}, and its close. It knows
 * nothing of the thread that reads it but its identity (to wake it when it closes).
 *
 * <p>
 * <b>Write slots.</b> A connection has {@code writeQueueDepth} of them. Its reader takes one per
 * request before it starts it and waits when none is free (see {@link ConnectionReader}); the slot
 * comes back once the request's answer is written, or once the request ended without one. So the
 * taken slots count the requests of this connection that run, wait for an async answer, or whose
 * answers wait to be written.
 *
 * <p>
 * <b>Close.</b> Every close goes through {@link #close()}: a read or write failure, an invalid
 * frame, a {@link Watchdog} timeout, the end of a stopping server, and the end of input (the peer
 * half-closed, or a stopping server shut the input) once the last slot came back.
 */
final class Connection implements ServerConnection, AnswerWriter.Written {

	/** Marks "no time" in the timing fields. */
	static final long NONE = Long.MIN_VALUE;

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final long id;

	private final SocketChannel channel;

	/** Plain TCP or TLS over {@link #channel}. */
	private final Transport transport;

	private final InetSocketAddress remoteAddress;

	private final InetSocketAddress localAddress;

	private final Permits writeSlots;

	private final AnswerWriter writer;

	private final Closed closedListener;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** The thread that holds the reader role, woken by {@link #close()}. */
	private volatile @Nullable Thread reader;

	private volatile boolean inputEnded;

	/** Last time bytes were read or answers written ({@link System#nanoTime()}). */
	private volatile long lastActivity;

	/** When the first bytes of the incomplete frame in the read buffer arrived, or {@link #NONE}. */
	private volatile long partialFrameSince = NONE;

	Connection(long id, Transport transport, InetSocketAddress remoteAddress, InetSocketAddress localAddress,
			int writeQueueDepth, FrameWriterPool writers, Closed closedListener) {
		this.id = id;
		this.channel = transport.channel();
		this.transport = transport;
		this.remoteAddress = remoteAddress;
		this.localAddress = localAddress;
		this.writeSlots = new Permits(writeQueueDepth);
		this.writer = new AnswerWriter(transport, writers, this);
		this.closedListener = closedListener;
		this.lastActivity = System.nanoTime();
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.localAddress;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		if (value != null) {
			this.attributes.put(name, value);
		}
		else {
			this.attributes.remove(name);
		}
	}

	@Override
	public @Nullable String tlsProtocol() {
		SSLSession session = this.transport.tlsSession();
		return (session != null) ? session.getProtocol() : null;
	}

	@Override
	public List<X509Certificate> peerCertificates() {
		return ServerTls.peerCertificates(this.transport.tlsSession());
	}

	@Override
	public @Nullable Principal peerPrincipal() {
		return ServerTls.peerPrincipal(this.transport.tlsSession());
	}

	Transport transport() {
		return this.transport;
	}

	/**
	 * Return the connection's write slots; the reader takes one per request.
	 * @return the slots
	 */
	Permits writeSlots() {
		return this.writeSlots;
	}

	/**
	 * Return the connection's answer writer.
	 * @return the writer
	 */
	AnswerWriter writer() {
		return this.writer;
	}

	/**
	 * Return the name of the connection's reader thread.
	 * @return {@code anet-conn-<host>:<port>-reader}
	 */
	String readerThreadName() {
		return "anet-conn-" + this.remoteAddress.getHostString() + ":" + this.remoteAddress.getPort() + "-reader";
	}

	/**
	 * The given thread holds the reader role from now on.
	 * @param thread the thread
	 */
	void readBy(Thread thread) {
		this.reader = thread;
	}

	/**
	 * Return the thread that holds the reader role.
	 * @return the thread, or {@code null} before the reader started
	 */
	@Nullable Thread reader() {
		return this.reader;
	}

	/**
	 * Queue a request's answer for the {@link AnswerWriter}.
	 * @param answer the answer
	 * @return whether it was queued; {@code false} if the connection is closed (its slot is then
	 * given back)
	 */
	boolean queueAnswer(AnswerWriter.Answer answer) {
		if (this.closed.get()) {
			requestDone();
			return false;
		}
		this.writer.enqueue(answer);
		return true;
	}

	/**
	 * A request ended without an answer to write: its write slot comes back.
	 */
	void requestDone() {
		releaseSlots(1);
	}

	/**
	 * Answers were written: their write slots come back.
	 * @param count how many
	 */
	@Override
	public void answersWritten(int count) {
		this.lastActivity = System.nanoTime();
		releaseSlots(count);
	}

	/**
	 * A write failed: the connection is closed.
	 * @param ex the failure
	 */
	@Override
	public void writeFailed(IOException ex) {
		if (!this.closed.get()) {
			logger.debug("Write to anet connection {} failed; closing it", this.remoteAddress, ex);
		}
		close();
	}

	/**
	 * Return the requests of this connection that run, wait for an async answer, or whose answers
	 * wait to be written.
	 * @return the count
	 */
	int inFlight() {
		return this.writeSlots.taken();
	}

	long lastActivity() {
		return this.lastActivity;
	}

	/**
	 * Bytes were read.
	 * @param nanos when
	 */
	void active(long nanos) {
		this.lastActivity = nanos;
	}

	/**
	 * Return when the first bytes of the incomplete frame in the read buffer arrived (the
	 * {@link Watchdog}'s {@code readTimeout} clock).
	 * @return a {@link System#nanoTime()} value, or {@link #NONE}
	 */
	long partialFrameSince() {
		return this.partialFrameSince;
	}

	/**
	 * Start or stop the slow-sender clock.
	 * @param since when part of a frame came, or {@link #NONE} when no frame is incomplete
	 */
	void partialFrameSince(long since) {
		this.partialFrameSince = since;
	}

	/**
	 * Return when the write in progress started.
	 * @return a {@link System#nanoTime()} value, or {@link #NONE} when not writing
	 */
	long writeStarted() {
		long started = this.writer.writeStarted();
		return (started != AnswerWriter.NOT_WRITING) ? started : NONE;
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Stop reading (the server stops): the blocked reader sees end of input, and the connection
	 * closes once its requests are answered.
	 */
	void shutdownInput() {
		try {
			this.channel.shutdownInput();
		}
		catch (IOException ex) {
			logger.debug("Could not shut down input of anet connection {}", this.remoteAddress, ex);
		}
	}

	/**
	 * The reader saw the end of input: the connection closes once its last slot comes back.
	 */
	void inputEnded() {
		this.partialFrameSince = NONE;
		this.inputEnded = true;
		if (inFlight() == 0) {
			close();
		}
	}

	/**
	 * Close the connection (idempotent): the channel is closed, which wakes a blocked reader or
	 * writer, queued answers are dropped, and the server forgets it.
	 */
	void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			this.transport.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close anet connection {}", this.remoteAddress, ex);
		}
		Thread reader = this.reader;
		if (reader != null && reader != Thread.currentThread()) {
			// wakes a reader that waits for a write slot or a handler permit
			reader.interrupt();
		}
		this.writer.discard();
		this.closedListener.connectionClosed(this);
	}

	private void releaseSlots(int count) {
		this.writeSlots.give(count);
		if (this.inputEnded && inFlight() == 0) {
			close();
		}
	}

	@Override
	public String toString() {
		return "ServerConnection[id=" + this.id + ", remote=" + this.remoteAddress + "]";
	}

	/**
	 * Told when a connection closed (once).
	 */
	interface Closed {

		void connectionClosed(Connection connection);

	}

}
