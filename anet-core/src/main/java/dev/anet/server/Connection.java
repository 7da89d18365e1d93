package dev.anet.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSession;

import dev.anet.tls.TlsTransport;
import dev.anet.tls.Transport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: its {@link ConnectionReader reader}, its answer writer, its
 * backpressure, its timing for the {@link Watchdog}, and its close.
 *
 * <pre>
 *   reader:         read ──► frames ──► per frame: take a write slot ──► a handler thread, or run it on the reader
 *   handler thread: handle ──► give the permit back ──► queue answer ──► write (maybe) ──► give the slot back
 * </pre>
 *
 * <p>
 * <b>Quick handlers on the reader.</b> Once the connection's handlers have been quick (a score:
 * +1 for a handler under 50 µs, -8 for a slower one, at least 16), the reader runs the next ones
 * itself (when the server uses its own handler pool) and writes their answers in one write per
 * read. If one waits longer than a millisecond (or runs longer than 10 ms), the
 * {@link InlineMonitor} hands the reader role (the rest of the read, and the reading) to a new
 * reader thread; the old one finishes its handler, writes the answer and ends. The connection then
 * uses the pool until its handlers are quick again. See {@link InlineRole}.
 *
 * <p>
 * <b>Backpressure.</b> A connection has {@code writeQueueDepth} write slots. The reader takes one
 * per request before it starts it and the slot comes back once the request's answer is written
 * (or once the handler finished without an answer). So the slots count the requests of this
 * connection that are running <em>or</em> whose answers wait to be written; when they are all
 * taken the reader stops (it neither dispatches nor reads) until one comes back. Other connections
 * are not affected.
 *
 * <p>
 * <b>End of input.</b> When the peer half-closes, or {@link #shutdownInput()} is called by a
 * stopping server, the reader ends and the connection closes itself as soon as its last answer is
 * written.
 */
final class Connection implements ServerConnection {

	/** Marks "no time" in the timing fields. */
	static final long NONE = Long.MIN_VALUE;

	private static final Logger logger = LoggerFactory.getLogger(Connection.class);

	private final long id;

	private final SocketChannel channel;

	/** Plain TCP or TLS over {@link #channel}. */
	private final Transport transport;

	private final InetSocketAddress remoteAddress;

	private final InetSocketAddress localAddress;

	private final AnetServer server;

	private final int writeQueueDepth;

	private final Semaphore writeSlots;

	private final AnswerWriter writer;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Requests handed to the executor whose handler has not started yet. */
	private final AtomicInteger notStarted = new AtomicInteger();

	private final ConnectionReader reader;

	private volatile boolean inputEnded;

	/** Last time bytes were read or answers written ({@link System#nanoTime()}). */
	private volatile long lastActivity;

	Connection(long id, Transport transport, InetSocketAddress remoteAddress, InetSocketAddress localAddress,
			AnetServer server, int writeQueueDepth) {
		this.id = id;
		this.channel = transport.channel();
		this.transport = transport;
		this.remoteAddress = remoteAddress;
		this.localAddress = localAddress;
		this.server = server;
		this.writeQueueDepth = writeQueueDepth;
		this.writeSlots = new Semaphore(writeQueueDepth);
		this.writer = new AnswerWriter(this, transport, server.writers());
		this.lastActivity = System.nanoTime();
		this.reader = new ConnectionReader(this, transport, server);
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

	/**
	 * The reader loop: runs on the connection's own thread until the connection ends; over TLS the
	 * handshake runs first, here (never on the accept thread).
	 */
	void serve() {
		if (this.transport instanceof TlsTransport tls && !ServerTls.handshake(this, tls, this.server)) {
			close();
			return;
		}
		this.reader.serve();
	}

	/**
	 * Take a write slot for the next request; the reader is stopped while there is none.
	 * @return whether the reader had to wait
	 * @throws ConnectionReader.ReaderInterruptedException if interrupted while waiting
	 */
	boolean acquireWriteSlot() {
		// the answers that hold the slots may be the reader's own, waiting for the end of its read
		return acquireOnReader(this.writeSlots);
	}

	/**
	 * Take a permit on the reader: at once if one is free, else after writing the answers the
	 * reader holds (those of handlers it ran itself), so they never wait for the permit.
	 * @param permits the write slots, or the server's handler permits
	 * @return whether the reader had to wait
	 * @throws ConnectionReader.ReaderInterruptedException if interrupted while waiting
	 */
	boolean acquireOnReader(Semaphore permits) {
		if (permits.tryAcquire()) {
			return false;
		}
		writeHeldAnswers();
		try {
			permits.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ConnectionReader.ReaderInterruptedException();
		}
		return true;
	}

	/**
	 * Write the answers that wait, now: called by the reader before it waits (for a write slot or a
	 * handler permit) and once it has processed a read (the answers of the handlers it ran), and by
	 * a former reader whose long handler lost it the reader role (its own answer).
	 */
	void writeHeldAnswers() {
		this.writer.drain();
	}

	ConnectionReader reader() {
		return this.reader;
	}

	InlineRole inlineRole() {
		return this.reader.inlineRole();
	}

	/**
	 * Return the name of the connection's reader thread.
	 * @return {@code anet-conn-<host>:<port>-reader}
	 */
	String readerThreadName() {
		return "anet-conn-" + this.remoteAddress.getHostString() + ":" + this.remoteAddress.getPort() + "-reader";
	}

	/**
	 * Queue a request's answer.
	 * @param task the request, with its answer set
	 * @return whether it was queued ({@link #writeAnswers()} then writes it); {@code false} if the
	 * connection is closed
	 */
	boolean enqueue(RequestTask task) {
		if (this.closed.get()) {
			requestDone();
			return false;
		}
		this.writer.enqueue(task);
		return true;
	}

	/**
	 * A request of this connection is handed to the executor.
	 */
	void handlerQueued() {
		this.notStarted.incrementAndGet();
	}

	/**
	 * A handler of this connection starts (or its request was refused by the executor). The last
	 * one of a burst writes the answers that waited for it, before its handler runs.
	 */
	void handlerStarting() {
		if (this.notStarted.decrementAndGet() == 0) {
			this.writer.drain();
		}
	}

	/**
	 * Write the queued answers, or leave them to the thread that is writing, or to a request of this
	 * connection that waits for a handler thread and will write them when it starts or ends: so the
	 * answers of a burst of quick requests go out in one write, and an answer never waits for a
	 * handler that runs.
	 */
	void writeAnswers() {
		if (this.notStarted.get() == 0) {
			this.writer.drain();
		}
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
	void answersWritten(int count) {
		this.lastActivity = System.nanoTime();
		releaseSlots(count);
	}

	/**
	 * A write failed: the connection is closed.
	 * @param ex the failure
	 */
	void writeFailed(IOException ex) {
		if (!this.closed.get()) {
			logger.debug("Write to anet connection {} failed; closing it", this.remoteAddress, ex);
		}
		close();
	}

	/**
	 * Return the requests of this connection that run or whose answers wait to be written.
	 * @return the count
	 */
	int inFlight() {
		return this.writeQueueDepth - this.writeSlots.availablePermits();
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

	long partialFrameSince() {
		return this.reader.partialFrameSince();
	}

	long writeStarted() {
		return this.writer.writeStarted();
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Stop reading (the server stops): the blocked reader sees end of input, and the connection
	 * closes once its running requests are answered.
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
		Thread reader = this.reader.thread();
		if (reader != null && reader != Thread.currentThread()) {
			// wakes a reader that waits for a write slot or a handler permit
			reader.interrupt();
		}
		this.writer.discard();
		this.server.connectionClosed(this);
	}

	/**
	 * The reader saw the end of input: the connection closes once its last answer is written.
	 */
	void inputEnded() {
		this.inputEnded = true;
		if (inFlight() == 0) {
			close();
		}
	}

	private void releaseSlots(int count) {
		this.writeSlots.release(count);
		if (this.inputEnded && inFlight() == 0) {
			close();
		}
	}

	@Override
	public String toString() {
		return "ServerConnection[id=" + this.id + ", remote=" + this.remoteAddress + "]";
	}

}
