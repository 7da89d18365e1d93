package dev.anet.server;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anet.frame.FrameWriter;
import dev.anet.tls.Transport;

/**
 * How the answers of one connection are written: without a writer thread (flat combining), in as
 * few writes as the timing allows.
 *
 * <pre>
 *   handler A ─┐ enqueue            ┌─ A wins the writer flag: one gathering write of [a][b][c]
 *   handler B ─┼──────► [a][b][c] ──┤
 *   handler C ─┘                    └─ B and C see the flag taken and return at once
 * </pre>
 *
 * A thread with an answer (a handler thread, the thread that completed an async answer) queues it
 * and, if no thread is writing, becomes the writer: it drains every queued answer into one
 * {@link FrameWriter} batch and writes it with one gathering write, and goes on until the queue is
 * empty. After it gives the writer flag back it looks at the queue once more, so an answer queued
 * while it was giving up the flag is never left behind. Writes of one connection therefore never
 * interleave. Who writes when:
 *
 * <ul>
 * <li>a handler thread or an async completion writes at once ({@link #answerReady()}), unless a
 * request of the same connection was handed to a handler thread and has not started: the last of
 * such a burst writes when it starts ({@link #starting()}), so the quick answers before it share
 * one write and none waits for a handler that runs;</li>
 * <li>the reader writes the answers of the handlers it ran itself at the end of its read, and
 * before it waits for anything ({@link #drain()}).</li>
 * </ul>
 */
final class AnswerWriter {

	/** {@link #writeStarted()} when no write is in progress. */
	static final long NOT_WRITING = Long.MIN_VALUE;

	private final Transport channel;

	private final FrameWriterPool writers;

	private final Written written;

	private final Queue<Answer> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writing = new AtomicBoolean();

	/** Requests handed to a handler thread whose handler has not started yet. */
	private final AtomicInteger notStarted = new AtomicInteger();

	/** When the write in progress started ({@link System#nanoTime()}), or {@link #NOT_WRITING}. */
	private volatile long writeStarted = NOT_WRITING;

	AnswerWriter(Transport channel, FrameWriterPool writers, Written written) {
		this.channel = channel;
		this.writers = writers;
		this.written = written;
	}

	/**
	 * Queue an answer; it is written by {@link #answerReady()}, {@link #starting()} or
	 * {@link #drain()}.
	 * @param answer the answer
	 */
	void enqueue(Answer answer) {
		this.queue.offer(answer);
	}

	/**
	 * A request of this connection was handed to a handler thread.
	 */
	void handedOff() {
		this.notStarted.incrementAndGet();
	}

	/**
	 * A request handed to a handler thread starts (or was refused by the executor). The last one
	 * of a burst writes the answers that waited for it, before its handler runs.
	 */
	void starting() {
		if (this.notStarted.decrementAndGet() == 0) {
			drain();
		}
	}

	/**
	 * An answer was queued off the reader: write it, or leave it to the thread that is writing, or
	 * to a request handed to a handler thread that will write it when it starts.
	 */
	void answerReady() {
		if (this.notStarted.get() == 0) {
			drain();
		}
	}

	/**
	 * Write every queued answer, unless another thread is writing (it then writes them).
	 */
	void drain() {
		while (!this.queue.isEmpty() && this.writing.compareAndSet(false, true)) {
			// A pending interrupt (a handler that re-set it) would make the write close the channel
			boolean interrupted = Thread.interrupted();
			try {
				writeQueued();
			}
			finally {
				this.writing.set(false);
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	/**
	 * Drop the queued answers (the connection is closed).
	 */
	void discard() {
		this.queue.clear();
	}

	/**
	 * Return when the write in progress started.
	 * @return a {@link System#nanoTime()} value, or {@link #NOT_WRITING}
	 */
	long writeStarted() {
		return this.writeStarted;
	}

	private void writeQueued() {
		FrameWriter writer = this.writers.acquire();
		int frames = 0;
		try {
			for (Answer answer = this.queue.poll(); answer != null; answer = this.queue.poll()) {
				byte[] body = answer.answer();
				if (!writer.fits(body.length)) {
					flush(writer, frames);
					frames = 0;
				}
				writer.append(answer.taskId(), body);
				frames++;
			}
			flush(writer, frames);
		}
		catch (IOException ex) {
			this.queue.clear();
			this.written.writeFailed(ex);
		}
		finally {
			this.writers.release(writer);
		}
	}

	private void flush(FrameWriter writer, int frames) throws IOException {
		if (frames == 0) {
			return;
		}
		this.writeStarted = System.nanoTime();
		try {
			writer.flush(this.channel);
		}
		finally {
			this.writeStarted = NOT_WRITING;
		}
		this.written.answersWritten(frames);
	}

	/**
	 * One queued answer.
	 */
	interface Answer {

		int taskId();

		byte[] answer();

	}

	/**
	 * Told what became of the writes.
	 */
	interface Written {

		/**
		 * Answers were handed to the socket.
		 * @param count how many
		 */
		void answersWritten(int count);

		/**
		 * A write failed; the answers queued are dropped.
		 * @param ex the failure
		 */
		void writeFailed(IOException ex);

	}

}
