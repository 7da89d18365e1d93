package dev.anet.frame;

/**
 * Receives the frames a {@link FrameReader} decoded.
 */
@FunctionalInterface
public interface FrameConsumer {

	/**
	 * Called once per complete frame, in the order of the stream.
	 * @param taskId the frame's task id
	 * @param body a copy of the frame's body, owned by the consumer
	 */
	void onFrame(int taskId, byte[] body);

}
