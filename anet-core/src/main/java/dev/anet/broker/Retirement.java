package dev.anet.broker;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one connection is retired, and the half-open rule that retires it, for its
 * {@link Multiplexer}. A retired connection takes no new requests, has left its pool, and closes
 * once nothing is in flight on it; its requests in flight keep their own deadlines, so retiring
 * fails nothing.
 *
 * <ul>
 * <li>When {@value #SILENT_TIMEOUTS_BEFORE_RETIRED} requests in a row time out on a connection that
 * sent not a byte since each was accepted, it is presumed half-open and retired, and the pool dials
 * a replacement when the next request needs one.</li>
 * <li>Any byte read clears the suspicion: the count starts again, and a retired connection rejoins
 * its pool if the pool has room (else it closes once drained).</li>
 * <li>A connection the pool lets go (its address was removed) is retired too.</li>
 * </ul>
 *
 * Its log lines go to the {@link Multiplexer}'s logger, where they were before this class.
 */
final class Retirement {

	/**
	 * In-flight requests that time out in a row, with not a byte read from the connection since
	 * each was accepted, before the connection is presumed half-open and retired.
	 */
	static final int SILENT_TIMEOUTS_BEFORE_RETIRED = 3;

	private static final Logger logger = LoggerFactory.getLogger(Multiplexer.class);

	private final Multiplexer mux;

	/** Takes no new requests, closes once nothing is in flight; changed under this object's lock. */
	private volatile boolean retired;

	/** Requests timed out in a row on a silent connection. */
	private final AtomicInteger silentTimeouts = new AtomicInteger();

	Retirement(Multiplexer mux) {
		this.mux = mux;
	}

	boolean isRetired() {
		return this.retired;
	}

	/** Bytes were read from the connection (its reader thread): it lives. */
	void bytesRead() {
		if (this.silentTimeouts.get() != 0) {
			this.silentTimeouts.set(0);
		}
		if (this.retired) {
			readmit();
		}
	}

	/**
	 * A request timed out in flight and left the connection's table.
	 * @param request the request
	 * @param lastReadNanos when bytes were last read from the connection
	 */
	void timedOut(Request request, long lastReadNanos) {
		if (lastReadNanos - request.startNanos > 0) {
			// the connection spoke since the request was accepted: alive, only slow
			this.silentTimeouts.set(0);
		}
		else if (this.silentTimeouts.incrementAndGet() >= SILENT_TIMEOUTS_BEFORE_RETIRED) {
			presumeHalfOpen(request);
		}
	}

	/** The pool let the connection go: no new requests; it closes once nothing is in flight on it. */
	void retireFromPool() {
		if (markRetired()) {
			logger.debug("Connection to {} leaves its pool with {} requests in flight; it closes once they end",
					this.mux.name(), this.mux.inFlight());
			closeIfDrained();
		}
	}

	/** Close the connection if it is retired and nothing is in flight on it. */
	void closeIfDrained() {
		if (this.retired && this.mux.inFlight() == 0 && !this.mux.hasFailed()) {
			logger.debug("Closing connection to {}, presumed half-open, with nothing in flight", this.mux.name());
			this.mux.fail(new IOException(
					"Connection to " + this.mux.name() + " presumed half-open, closed with nothing in flight"));
		}
	}

	private boolean markRetired() {
		synchronized (this) {
			if (this.retired || this.mux.hasFailed()) {
				return false;
			}
			this.retired = true;
			return true;
		}
	}

	/** Presumed half-open: take no new requests, let the pool replace the connection, fail nothing. */
	private void presumeHalfOpen(Request last) {
		if (!markRetired()) {
			return;
		}
		logger.warn("Connection to {} sent nothing while {} requests in a row timed out (the last after {} ms); "
				+ "presumed half-open: it takes no new requests and closes once its {} requests in flight are "
				+ "answered or time out", this.mux.name(), SILENT_TIMEOUTS_BEFORE_RETIRED,
				TimeUnit.NANOSECONDS.toMillis(last.timeoutNanos), this.mux.inFlight());
		this.mux.connection().pool().retire(this.mux.connection());
	}

	/** Bytes came from a retired connection: it lives; it rejoins its pool if the pool has room. */
	private void readmit() {
		synchronized (this) {
			if (!this.retired || this.mux.hasFailed()) {
				return;
			}
			this.retired = false;
		}
		if (this.mux.connection().pool().readmit(this.mux.connection())) {
			logger.info("Connection to {} presumed half-open answered again; it takes requests again", this.mux.name());
			return;
		}
		synchronized (this) {
			this.retired = true;
		}
		closeIfDrained();
	}

}
