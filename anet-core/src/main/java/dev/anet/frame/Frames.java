package dev.anet.frame;

import java.nio.ByteBuffer;

/**
 * Constants and small helpers of the anet wire format.
 *
 * <pre>
 * +--------+----------------+------------------------+
 * | length | task id        | body                   |
 * | uint16 | uint32         | 0..65531 bytes         |
 * +--------+----------------+------------------------+
 * </pre>
 *
 * {@code length} counts the bytes that follow it (task id + body), big-endian. A frame whose length
 * is under 4 cannot carry a task id and is a protocol error on its connection.
 */
public final class Frames {

	/** Size of the length field. */
	public static final int LENGTH_FIELD_SIZE = 2;

	/** Size of the task id. */
	public static final int TASK_ID_SIZE = 4;

	/** Length field plus task id: the bytes a frame adds to its body. */
	public static final int HEADER_SIZE = LENGTH_FIELD_SIZE + TASK_ID_SIZE;

	/** Largest value of the length field. */
	public static final int MAX_LENGTH = 0xFFFF;

	/** Largest body a frame can carry: 65531 bytes. */
	public static final int MAX_BODY_SIZE = MAX_LENGTH - TASK_ID_SIZE;

	/** Largest frame on the wire: 65537 bytes. */
	public static final int MAX_FRAME_SIZE = LENGTH_FIELD_SIZE + MAX_LENGTH;

	private Frames() {
	}

	/**
	 * Check that a body can be framed.
	 * @param bodySize the body's size in bytes
	 * @throws FrameTooLargeException if it is over {@link #MAX_BODY_SIZE}
	 */
	public static void checkBodySize(int bodySize) {
		if (bodySize > MAX_BODY_SIZE) {
			throw new FrameTooLargeException(bodySize);
		}
	}

	/**
	 * Encode one frame into a new array: {@code [length][taskId][body]}.
	 * @param taskId the task id
	 * @param body the body
	 * @return the frame's bytes
	 * @throws FrameTooLargeException if the body is over {@link #MAX_BODY_SIZE}
	 */
	public static byte[] encode(int taskId, byte[] body) {
		checkBodySize(body.length);
		byte[] frame = new byte[HEADER_SIZE + body.length];
		ByteBuffer.wrap(frame).putShort((short) (TASK_ID_SIZE + body.length)).putInt(taskId).put(body);
		return frame;
	}

}
