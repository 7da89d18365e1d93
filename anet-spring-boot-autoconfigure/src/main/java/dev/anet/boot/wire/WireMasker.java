package dev.anet.boot.wire;

/**
 * Hides what must not be logged (card numbers, PINs, keys) before the wire log writes a frame's
 * body. The wire log shows only what the masker returns, in hex and in ASCII.
 */
@FunctionalInterface
public interface WireMasker {

	/** Shows every byte; for tests only. */
	WireMasker NONE = (body) -> body;

	/**
	 * Return the body as it may be logged.
	 * @param body the frame's body; do not change it (it is still being sent or handled)
	 * @return the body to log: a masked copy, or {@code body} itself if it holds nothing to hide
	 */
	byte[] mask(byte[] body);

}
