package dev.anet.frame;

import dev.anet.AnetException;

/**
 * A frame's length field is under 4, so it cannot carry a task id: a protocol error that ends the
 * connection it came on, and only that one.
 */
public class InvalidFrameException extends AnetException {

	private static final long serialVersionUID = 1L;

	private final int length;

	public InvalidFrameException(int length) {
		super("Invalid anet frame: length field " + length + " is under " + Frames.TASK_ID_SIZE
				+ " and cannot hold a task id");
		this.length = length;
	}

	/**
	 * Return the length field that was read.
	 * @return the length field
	 */
	public int length() {
		return this.length;
	}

}
