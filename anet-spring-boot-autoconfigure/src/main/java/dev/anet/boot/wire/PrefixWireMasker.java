package dev.anet.boot.wire;

import java.util.Arrays;

import org.springframework.util.Assert;

/**
 * Shows the first bytes of a body (for example an HSM command code such as {@code NC} or an ISO
 * 8583 message type) and hides everything after them as {@code *}.
 */
public final class PrefixWireMasker implements WireMasker {

	private final int shown;

	/**
	 * Create the masker.
	 * @param shown how many leading bytes to show
	 */
	public PrefixWireMasker(int shown) {
		Assert.isTrue(shown >= 0, () -> "'shown' must not be negative but was " + shown);
		this.shown = shown;
	}

	@Override
	public byte[] mask(byte[] body) {
		if (body.length <= this.shown) {
			return body;
		}
		byte[] masked = body.clone();
		Arrays.fill(masked, this.shown, masked.length, (byte) '*');
		return masked;
	}

	@Override
	public String toString() {
		return "PrefixWireMasker(" + this.shown + ")";
	}

}
