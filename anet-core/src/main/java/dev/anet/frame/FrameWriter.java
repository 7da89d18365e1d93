package dev.anet.frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * Encodes anet frames into a reused direct buffer and writes a batch of them with one gathering
 * write.
 *
 * <pre>
 *   append(7, "a") append(8, "bb") append(9, big) flush()
 *   ──► write([ 00 05 00000007 61 | 00 06 00000008 6262 | 00 .. 00000009 ] [ big ])
 * </pre>
 *
 * Small bodies are copied next to their headers in the staging buffer; a body of
 * {@link #DEFAULT_COPY_THRESHOLD} bytes or more is written from its own array as a separate
 * segment of the same gathering write. Nothing reaches the channel before {@link #flush}, so a
 * body that is too large is refused before any byte of the batch is written. Not thread-safe: the
 * holder of a connection owns its writer.
 */
public final class FrameWriter {

	/** Default size of the staging buffer. */
	public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

	/** Bodies of this size or more are not copied but written from their own array. */
	public static final int DEFAULT_COPY_THRESHOLD = 8 * 1024;

	private static final int MAX_SEGMENTS = 64;

	private final ByteBuffer staging;

	private final ByteBuffer[] segments = new ByteBuffer[MAX_SEGMENTS];

	private int segmentCount;

	/** Start of the staging bytes not yet turned into a segment. */
	private int stagingMark;

	private int frames;

	/** Bytes the current (or last) flush handed to the channel. */
	private long written;

	public FrameWriter() {
		this(DEFAULT_BUFFER_SIZE);
	}

	/**
	 * Create a writer.
	 * @param bufferSize size of the staging buffer, at least {@link #DEFAULT_COPY_THRESHOLD} plus a
	 * header
	 */
	public FrameWriter(int bufferSize) {
		if (bufferSize < DEFAULT_COPY_THRESHOLD + Frames.HEADER_SIZE) {
			throw new IllegalArgumentException("bufferSize must be at least "
					+ (DEFAULT_COPY_THRESHOLD + Frames.HEADER_SIZE) + " but was " + bufferSize);
		}
		this.staging = ByteBuffer.allocateDirect(bufferSize);
	}

	/**
	 * Return whether one more frame with a body of this size fits in the current batch.
	 * @param bodySize the body size
	 * @return whether {@link #append} will accept it without a flush
	 */
	public boolean fits(int bodySize) {
		if (this.segmentCount + 3 > MAX_SEGMENTS) {
			return false;
		}
		int staged = Frames.HEADER_SIZE + ((bodySize >= DEFAULT_COPY_THRESHOLD) ? 0 : bodySize);
		return this.staging.remaining() >= staged;
	}

	/**
	 * Add a frame to the batch. Call {@link #fits} first, or {@link #flush} when it says no.
	 * @param taskId the task id
	 * @param body the body; it must not change until {@link #flush} returns
	 * @throws FrameTooLargeException if the body is over {@link Frames#MAX_BODY_SIZE}
	 * @throws IllegalStateException if the frame does not fit in the batch
	 */
	public void append(int taskId, byte[] body) {
		Frames.checkBodySize(body.length);
		if (!fits(body.length)) {
			throw new IllegalStateException("Frame of " + body.length + " bytes does not fit in the batch; flush first");
		}
		ByteBuffer buf = this.staging;
		buf.putShort((short) (Frames.TASK_ID_SIZE + body.length)).putInt(taskId);
		if (body.length >= DEFAULT_COPY_THRESHOLD) {
			cutStagingSegment();
			this.segments[this.segmentCount++] = ByteBuffer.wrap(body);
		}
		else {
			buf.put(body);
		}
		this.frames++;
	}

	/**
	 * Return the number of frames waiting in the batch.
	 * @return the frame count
	 */
	public int pendingFrames() {
		return this.frames;
	}

	/**
	 * Write the whole batch, blocking until every byte is written, then reset for the next batch.
	 * @param channel a blocking channel
	 * @return the number of bytes written
	 * @throws IOException if the write fails; the batch is discarded and the connection should be
	 * closed
	 */
	public long flush(GatheringByteChannel channel) throws IOException {
		this.written = 0;
		if (this.frames == 0) {
			return 0;
		}
		try {
			if (this.segmentCount == 0) {
				return writeStagingOnly(channel);
			}
			cutStagingSegment();
			int first = 0;
			int count = this.segmentCount;
			ByteBuffer[] segs = this.segments;
			while (first < count) {
				this.written += (count - first == 1) ? channel.write(segs[first]) : channel.write(segs, first, count - first);
				while (first < count && !segs[first].hasRemaining()) {
					first++;
				}
			}
			return this.written;
		}
		finally {
			reset();
		}
	}

	/**
	 * Return how many bytes the last {@link #flush} handed to the channel: all of the batch when it
	 * returned, the bytes of the write calls that succeeded before it failed when it threw. The
	 * frames of a batch are written in the order they were appended, so a frame that starts at or
	 * after this offset never reached the channel.
	 * @return the bytes written by the last flush
	 */
	public long bytesWritten() {
		return this.written;
	}

	/** Drop whatever is in the batch. */
	public void reset() {
		for (int i = 0; i < this.segmentCount; i++) {
			this.segments[i] = null;
		}
		this.segmentCount = 0;
		this.staging.clear();
		this.stagingMark = 0;
		this.frames = 0;
	}

	private long writeStagingOnly(GatheringByteChannel channel) throws IOException {
		ByteBuffer buf = this.staging;
		buf.flip();
		while (buf.hasRemaining()) {
			this.written += channel.write(buf);
		}
		return this.written;
	}

	private void cutStagingSegment() {
		int end = this.staging.position();
		if (end > this.stagingMark) {
			this.segments[this.segmentCount++] = this.staging.slice(this.stagingMark, end - this.stagingMark);
			this.stagingMark = end;
		}
	}

}
