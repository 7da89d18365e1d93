package dev.anet.frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Decodes anet frames from a blocking channel into one reused direct buffer.
 *
 * <pre>
 *   read() ──► [ frame | frame | frame | partial... ]
 *                 ▲ every complete frame is delivered; the partial tail is kept for the next read
 * </pre>
 *
 * Each {@link #read} makes one read call and then hands every complete frame it holds to the
 * consumer, so a burst of pipelined frames costs one system call. The buffer always holds at least
 * one frame of the largest size. Not thread-safe: one reader per connection.
 */
public final class FrameReader {

	/** Default buffer size: two of the largest frames. */
	public static final int DEFAULT_BUFFER_SIZE = 2 * Frames.MAX_FRAME_SIZE;

	private final ByteBuffer buffer;

	public FrameReader() {
		this(DEFAULT_BUFFER_SIZE);
	}

	/**
	 * Create a reader.
	 * @param bufferSize the buffer size, at least {@link Frames#MAX_FRAME_SIZE}
	 */
	public FrameReader(int bufferSize) {
		if (bufferSize < Frames.MAX_FRAME_SIZE) {
			throw new IllegalArgumentException(
					"bufferSize must be at least " + Frames.MAX_FRAME_SIZE + " but was " + bufferSize);
		}
		this.buffer = ByteBuffer.allocateDirect(bufferSize);
	}

	/**
	 * Read once from the channel and deliver every complete frame.
	 * @param channel a blocking channel
	 * @param consumer receives the frames
	 * @return the number of bytes read, or -1 at end of stream
	 * @throws IOException if the read fails
	 * @throws InvalidFrameException if a frame's length is under 4; the connection should be closed
	 */
	public int read(ReadableByteChannel channel, FrameConsumer consumer) throws IOException {
		int n = channel.read(this.buffer);
		if (n > 0) {
			decode(consumer);
		}
		return n;
	}

	/**
	 * Deliver the complete frames already in the buffer (for callers that fill it themselves via
	 * {@link #buffer()}).
	 * @param consumer receives the frames
	 * @throws InvalidFrameException if a frame's length is under 4
	 */
	public void decode(FrameConsumer consumer) {
		ByteBuffer buf = this.buffer;
		buf.flip();
		try {
			while (buf.remaining() >= Frames.LENGTH_FIELD_SIZE) {
				int start = buf.position();
				int length = buf.getShort(start) & 0xFFFF;
				if (length < Frames.TASK_ID_SIZE) {
					throw new InvalidFrameException(length);
				}
				if (buf.remaining() < Frames.LENGTH_FIELD_SIZE + length) {
					break;
				}
				int taskId = buf.getInt(start + Frames.LENGTH_FIELD_SIZE);
				byte[] body = new byte[length - Frames.TASK_ID_SIZE];
				buf.get(start + Frames.HEADER_SIZE, body);
				buf.position(start + Frames.LENGTH_FIELD_SIZE + length);
				consumer.onFrame(taskId, body);
			}
		}
		finally {
			buf.compact();
		}
	}

	/**
	 * Return whether bytes of an incomplete frame are waiting for more input.
	 * @return whether a frame is partly read
	 */
	public boolean hasPartialFrame() {
		return this.buffer.position() > 0;
	}

	/**
	 * Return the buffer in fill mode (for tests and for callers that read on their own).
	 * @return the buffer
	 */
	public ByteBuffer buffer() {
		return this.buffer;
	}

}
