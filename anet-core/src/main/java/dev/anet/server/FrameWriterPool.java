package dev.anet.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.FrameWriter;

/**
 * The {@link FrameWriter}s of one server, shared by its connections. A writer is only needed while
 * a thread writes a batch of answers, so the server needs about as many as it has threads writing
 * at once, not one (with its direct buffer) per connection.
 */
final class FrameWriterPool {

	/**
	 * Staging buffer of each writer: room for the answers of one busy read (about 15 of 4 KiB) in one
	 * write; bodies of 8 KiB and more are not copied into it.
	 */
	static final int BUFFER_SIZE = 64 * 1024;

	/** Most idle writers kept; more are left to the garbage collector. */
	private static final int MAX_IDLE = 64;

	private final Queue<FrameWriter> idle = new ConcurrentLinkedQueue<>();

	private final AtomicInteger idleCount = new AtomicInteger();

	/**
	 * Take an idle writer, or make one.
	 * @return an empty writer owned by the caller until {@link #release}
	 */
	FrameWriter acquire() {
		FrameWriter writer = this.idle.poll();
		if (writer == null) {
			return new FrameWriter(BUFFER_SIZE);
		}
		this.idleCount.decrementAndGet();
		return writer;
	}

	/**
	 * Give a writer back. It is reset first.
	 * @param writer the writer
	 */
	void release(FrameWriter writer) {
		writer.reset();
		if (this.idleCount.incrementAndGet() <= MAX_IDLE) {
			this.idle.offer(writer);
		}
		else {
			this.idleCount.decrementAndGet();
		}
	}

}
