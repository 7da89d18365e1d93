package dev.anet.broker;

import java.util.Arrays;

import dev.anet.frame.Frames;

/**
 * The requests framed into one connection's write batch, in the order their frames stand in it,
 * and the rule that settles them after the batch's write:
 *
 * <pre>
 *   batch:   [ r1 frame ][ r2 frame ][ r3 frame ][ r4 frame ]
 *   written: ───────────────────────────▲ bytesWritten (the write failed here)
 *            r1, r2, r3: handed to the socket (r3 in part): sent      r4: never written: unsent
 * </pre>
 *
 * A frame that starts before the count of bytes the write handed to the socket was sent (all of it
 * or a part: it may have reached the server); one that starts at or after it was not. Used only by
 * the thread that holds the connection.
 */
final class StagedBatch {

	/** What becomes of each request of a settled batch. */
	interface Outcome {

		/** Its bytes were handed to the socket (all or a part). */
		void sent(Request request);

		/** None of its bytes were written. */
		void unsent(Request request);

	}

	private Request[] requests = new Request[64];

	private int size;

	void add(Request request) {
		if (this.size == this.requests.length) {
			this.requests = Arrays.copyOf(this.requests, this.size * 2);
		}
		this.requests[this.size++] = request;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	/**
	 * Settle every request of the batch and empty it.
	 * @param handed how many bytes of the batch the write handed to the socket
	 * ({@link Long#MAX_VALUE}: all of them)
	 * @param outcome told what became of each request, in batch order
	 */
	void settle(long handed, Outcome outcome) {
		long offset = 0;
		for (int i = 0; i < this.size; i++) {
			Request request = this.requests[i];
			this.requests[i] = null;
			if (offset < handed) {
				outcome.sent(request);
			}
			else {
				outcome.unsent(request);
			}
			offset += Frames.HEADER_SIZE + request.body.length;
		}
		this.size = 0;
	}

}
