package dev.anet.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers for outgoing TLS records, shared by every connection: a writer takes one for the length
 * of a write, so a server with many quiet TLS connections holds no output buffer for each. One
 * buffer holds {@value #RECORDS} full records, so a large batch leaves as up to that many records
 * per system call. At most {@value #MAX_KEPT} free buffers are kept. They are heap buffers: the
 * JDK's AES-GCM encrypts into a heap buffer in place but copies a direct one through arrays
 * (2.8 KB allocated per record instead of 3.2–7 KB, see {@code anet-benchmarks/README.md}); the
 * channel's write copies a heap buffer once into its own cached direct buffer.
 */
final class NetBuffers {

	/** Full-size records per buffer. */
	static final int RECORDS = 4;

	/** The largest TLS record on the wire the JDK produces (header, 16 KiB, expansion). */
	static final int MAX_PACKET = 16_709;

	static final int SIZE = RECORDS * MAX_PACKET;

	private static final int MAX_KEPT = 64;

	private static final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();

	private static final AtomicInteger kept = new AtomicInteger();

	private NetBuffers() {
	}

	static ByteBuffer acquire() {
		ByteBuffer buffer = free.poll();
		if (buffer == null) {
			return ByteBuffer.allocate(SIZE);
		}
		kept.decrementAndGet();
		buffer.clear();
		return buffer;
	}

	static void release(ByteBuffer buffer) {
		if (kept.incrementAndGet() <= MAX_KEPT) {
			free.offer(buffer);
		}
		else {
			kept.decrementAndGet();
		}
	}

}
