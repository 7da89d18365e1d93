package dev.anet.frame;

import dev.anet.AnetException;

/**
 * A body is over {@value Frames#MAX_BODY_SIZE} bytes and cannot be framed. Thrown before any byte
 * of it is written.
 */
public class FrameTooLargeException extends AnetException {

	private static final long serialVersionUID = 1L;

	private final int size;

	public FrameTooLargeException(int size) {
		super("Body of " + size + " bytes is over the anet limit of " + Frames.MAX_BODY_SIZE
				+ " bytes (length field is uint16 and includes the 4-byte task id)");
		this.size = size;
	}

	/**
	 * Return the size of the refused body.
	 * @return the size in bytes
	 */
	public int size() {
		return this.size;
	}

}
