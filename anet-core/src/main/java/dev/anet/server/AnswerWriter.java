package dev.anet.server;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.anet.frame.FrameWriter;
import dev.anet.tls.Transport;

/**
 * Writes the answers of one connection without a writer thread (flat combining).
 *
 * <pre>
 *   handler A ─┐ enqueue            ┌─ A wins the writer flag: one gathering write of [a][b][c]
 *   handler B ─┼──────► [a][b][c] ──┤
 *   handler C ─┘                    └─ B and C see the flag taken and return at once
 * </pre>
 *
 * A handler thread that finishes queues its answer and, if no thread is writing, becomes the
 * writer: it drains every queued answer into one {@link FrameWriter} batch and writes it with one
 * gathering write, and goes on until the queue is empty. After it gives the writer flag back it
 * looks at the queue once more, so an answer queued while it was giving up the flag is never left
 * behind. Writes of one connection therefore never interleave.
 */
final class AnswerWriter {

	private final Connection connection;

	private final Transport channel;

	private final FrameWriterPool writers;

	private final Queue<RequestTask> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean writing = new AtomicBoolean();

	/** When the write in progress started ({@link System#nanoTime()}), or {@link Connection#NONE}. */
	private volatile long writeStarted = Connection.NONE;

	AnswerWriter(Connection connection, Transport channel, FrameWriterPool writers) {
		this.connection = connection;
		this.channel = channel;
		this.writers = writers;
	}

	/**
	 * Queue an answer; {@link #drain()} writes it.
	 * @param task a request whose answer is set
	 */
	void enqueue(RequestTask task) {
		this.queue.offer(task);
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
	 * @return a {@link System#nanoTime()} value, or {@link Connection#NONE} when not writing
	 */
	long writeStarted() {
		return this.writeStarted;
	}

	private void writeQueued() {
		FrameWriter writer = this.writers.acquire();
		int frames = 0;
		try {
			for (RequestTask task = this.queue.poll(); task != null; task = this.queue.poll()) {
				byte[] answer = task.answer();
				if (!writer.fits(answer.length)) {
					flush(writer, frames);
					frames = 0;
				}
				writer.append(task.taskId(), answer);
				frames++;
			}
			flush(writer, frames);
		}
		catch (IOException ex) {
			this.queue.clear();
			this.connection.writeFailed(ex);
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
			this.writeStarted = Connection.NONE;
		}
		this.connection.answersWritten(frames);
	}

}
