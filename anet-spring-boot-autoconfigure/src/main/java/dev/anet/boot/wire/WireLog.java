package dev.anet.boot.wire;

import java.net.InetSocketAddress;
import java.util.HexFormat;

import dev.anet.pool.Addresses;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Writes anet frames at DEBUG on the logger {@value #LOGGER_NAME}, masked by a {@link WireMasker}:
 *
 * <pre>
 * anet frame &gt; 127.0.0.1:9000 task 7 length 20 body 16
 * 0000  34 31 31 31 31 31 2a 2a 2a 2a 2a 2a 31 31 31 31  411111******1111
 * </pre>
 *
 * {@code >} is a frame sent, {@code <} one received. Nothing is formatted unless the logger is at
 * DEBUG.
 */
public final class WireLog {

	/** The logger's name. */
	public static final String LOGGER_NAME = "dev.anet.wire";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	private static final HexFormat HEX = HexFormat.of();

	private static final int ROW = 16;

	private final WireMasker masker;

	public WireLog(WireMasker masker) {
		Assert.notNull(masker, "'masker' must not be null");
		this.masker = masker;
	}

	/**
	 * Return whether frames are logged: the logger is at DEBUG.
	 * @return whether {@link #frame} writes anything
	 */
	public boolean isEnabled() {
		return logger.isDebugEnabled();
	}

	/**
	 * Log a frame.
	 * @param sent whether this side sent it (else received it)
	 * @param address the peer
	 * @param taskId the task id
	 * @param body the body
	 */
	public void frame(boolean sent, @Nullable InetSocketAddress address, int taskId, byte[] body) {
		if (!logger.isDebugEnabled()) {
			return;
		}
		byte[] shown = this.masker.mask(body);
		StringBuilder text = new StringBuilder(64 + shown.length * 4);
		text.append("anet frame ")
			.append(sent ? '>' : '<')
			.append(' ')
			.append((address != null) ? Addresses.format(address) : "(not sent)")
			.append(" task ")
			.append(Integer.toUnsignedString(taskId))
			.append(" length ")
			.append(4 + body.length)
			.append(" body ")
			.append(body.length);
		for (int row = 0; row < shown.length; row += ROW) {
			text.append('\n').append(String.format("%04x ", row));
			int end = Math.min(row + ROW, shown.length);
			for (int i = row; i < row + ROW; i++) {
				text.append(' ');
				if (i < end) {
					HEX.toHexDigits(text, shown[i]);
				}
				else {
					text.append("  ");
				}
			}
			text.append("  ");
			for (int i = row; i < end; i++) {
				int b = shown[i] & 0xff;
				text.append((b >= 0x20 && b < 0x7f) ? (char) b : '.');
			}
		}
		logger.debug(text.toString());
	}

	public WireMasker getMasker() {
		return this.masker;
	}

}
